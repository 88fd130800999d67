"""periodic job runs: the lease that runs each job once across workers

Revision ID: 0016a
Revises: 0015a
Create Date: 2026-12-01 22:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0016a'
down_revision = '0015a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('periodic_job_runs',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('holder', sa.String(length=200), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('succeeded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('runs', sa.BigInteger(), nullable=False),
    sa.Column('failures', sa.BigInteger(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_periodic_job_runs'))
    )


def downgrade():
    op.drop_table('periodic_job_runs')
