"""booking: bookings, series, refused demand, policies

Revision ID: 0004b
Revises: 0001
Create Date: 2026-11-23 11:57:03.456657

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0004b'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        # The exclusion constraint below needs = on integers inside a GiST index.
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.create_table('booking_series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rrule', sa.String(length=500), nullable=False),
    sa.Column('dtstart', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_booking_series_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_series'))
    )
    op.create_table('refused_demand',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('people', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("reason IN ('no_free_resource', 'conflict')", name=op.f('ck_refused_demand_reason')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_refused_demand_organisation_id_organisations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_refused_demand_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refused_demand'))
    )
    with op.batch_alter_table('refused_demand', schema=None) as batch_op:
        batch_op.create_index('ix_refused_demand_kind_start', ['kind', 'start'], unique=False)
        batch_op.create_index(batch_op.f('ix_refused_demand_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_refused_demand_user_id'), ['user_id'], unique=False)

    op.create_table('booking_policies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resource_kind', sa.String(length=16), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=True),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['resource_id'], ['resources.id'], name=op.f('fk_booking_policies_resource_id_resources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_policies')),
    sa.UniqueConstraint('resource_kind', 'resource_id', name=op.f('uq_booking_policies_resource_kind_resource_id'))
    )
    op.create_table('bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=True),
    sa.Column('attendees', sa.Integer(), nullable=True),
    sa.Column('checkin_code', sa.String(length=16), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('booked', 'checked_in', 'completed', 'cancelled', 'released')", name=op.f('ck_bookings_status')),
    sa.CheckConstraint('"end" > start', name=op.f('ck_bookings_end_after_start')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_bookings_created_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_bookings_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['resource_id'], ['resources.id'], name=op.f('fk_bookings_resource_id_resources')),
    sa.ForeignKeyConstraint(['series_id'], ['booking_series.id'], name=op.f('fk_bookings_series_id_booking_series'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_bookings_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookings')),
    sa.UniqueConstraint('checkin_code', name=op.f('uq_bookings_checkin_code'))
    )
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bookings_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index('ix_bookings_resource_start', ['resource_id', 'start'], unique=False)
        batch_op.create_index(batch_op.f('ix_bookings_series_id'), ['series_id'], unique=False)
        batch_op.create_index('ix_bookings_start', ['start'], unique=False)
        batch_op.create_index(batch_op.f('ix_bookings_user_id'), ['user_id'], unique=False)

    if postgres:
        # No two active bookings of one resource overlap: half-open ranges, enforced here.
        op.execute(
            "ALTER TABLE bookings ADD CONSTRAINT ex_bookings_no_overlap EXCLUDE USING gist "
            "(resource_id WITH =, tstzrange(start, \"end\", '[)') WITH &&) "
            "WHERE (status IN ('booked', 'checked_in'))"
        )


def downgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bookings_user_id'))
        batch_op.drop_index('ix_bookings_start')
        batch_op.drop_index(batch_op.f('ix_bookings_series_id'))
        batch_op.drop_index('ix_bookings_resource_start')
        batch_op.drop_index(batch_op.f('ix_bookings_organisation_id'))

    op.drop_table('bookings')
    op.drop_table('booking_policies')
    with op.batch_alter_table('refused_demand', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refused_demand_user_id'))
        batch_op.drop_index(batch_op.f('ix_refused_demand_organisation_id'))
        batch_op.drop_index('ix_refused_demand_kind_start')

    op.drop_table('refused_demand')
    op.drop_table('booking_series')
    # ### end Alembic commands ###
