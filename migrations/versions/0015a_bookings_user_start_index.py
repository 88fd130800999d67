"""bookings: index (user_id, start) for the per-person quota count

The quota count asks for one person's active bookings of one local day; with only
ix_bookings_user_id it read all of that person's bookings (a year of history). The
composite index answers it with a range scan and serves every lookup by user_id as well, so
the single-column index goes.

Revision ID: 0015a
Revises: 0014a
Create Date: 2026-12-01 22:40:00

"""
from alembic import op

revision = '0015a'
down_revision = '0014a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.create_index('ix_bookings_user_start', ['user_id', 'start'], unique=False)
        batch_op.drop_index('ix_bookings_user_id')


def downgrade():
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.create_index('ix_bookings_user_id', ['user_id'], unique=False)
        batch_op.drop_index('ix_bookings_user_start')
