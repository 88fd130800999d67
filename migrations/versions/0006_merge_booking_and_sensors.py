"""merge booking and sensors

Revision ID: 0006
Revises: 0004b, 0005s
Create Date: 2026-11-23 12:03:33.308364

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = ('0004b', '0005s')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
