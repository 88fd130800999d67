"""mail outbox: booking mail as a draft the worker renders (message nullable)

Revision ID: 0017w
Revises: 0016a
Create Date: 2026-12-02 01:20:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0017w'
down_revision = '0016a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draft', sa.JSON(), nullable=True))
        batch_op.alter_column('message', existing_type=sa.Text(), nullable=True)


def downgrade():
    # A draft not yet sent has no message to keep: it is dropped with the column.
    op.execute("DELETE FROM mail_outbox WHERE message IS NULL")
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.alter_column('message', existing_type=sa.Text(), nullable=False)
        batch_op.drop_column('draft')
