"""sensor timeouts per device and model, outage session, bridge unsupported counts

Revision ID: 0011a
Revises: 0006
Create Date: 2026-12-01 21:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0011a'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sensor_devices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vendor_timeout_s', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('timeout_set_s', sa.Integer(), nullable=True))
    with op.batch_alter_table('sensor_gateway_outages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session', sa.String(length=100), nullable=True))
    op.create_table('sensor_model_timeouts',
    sa.Column('model', sa.String(length=100), nullable=False),
    sa.Column('timeout_s', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('model', name=op.f('pk_sensor_model_timeouts'))
    )
    op.create_table('sensor_bridge_unsupported',
    sa.Column('gateway_id', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.String(length=64), nullable=False),
    sa.Column('count', sa.BigInteger(), nullable=False),
    sa.Column('last_topic', sa.String(length=300), nullable=False),
    sa.Column('last_excerpt', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('gateway_id', 'source', 'reason',
                            name=op.f('pk_sensor_bridge_unsupported'))
    )


def downgrade():
    op.drop_table('sensor_bridge_unsupported')
    op.drop_table('sensor_model_timeouts')
    with op.batch_alter_table('sensor_gateway_outages', schema=None) as batch_op:
        batch_op.drop_column('session')
    with op.batch_alter_table('sensor_devices', schema=None) as batch_op:
        batch_op.drop_column('timeout_set_s')
        batch_op.drop_column('vendor_timeout_s')
