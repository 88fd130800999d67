"""bookings: index (resource_id, end) for the conflict check

Revision ID: 0019w
Revises: 0018w
Create Date: 2026-12-02 02:05:00

"""
from alembic import op

revision = '0019w'
down_revision = '0018w'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.create_index('ix_bookings_resource_end', ['resource_id', 'end'], unique=False)


def downgrade():
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index('ix_bookings_resource_end')
