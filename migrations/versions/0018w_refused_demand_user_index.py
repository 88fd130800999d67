"""refused demand: index (user_id, at) for the refusals a new booking resolves

Revision ID: 0018w
Revises: 0017w
Create Date: 2026-12-02 02:00:00

"""
from alembic import op

revision = '0018w'
down_revision = '0017w'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('refused_demand', schema=None) as batch_op:
        batch_op.create_index('ix_refused_demand_user_at', ['user_id', 'at'], unique=False)


def downgrade():
    with op.batch_alter_table('refused_demand', schema=None) as batch_op:
        batch_op.drop_index('ix_refused_demand_user_at')
