"""login throttle per username / address, seen bot signatures, refresh token successors

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 10:00:00
"""
from alembic import op
import sqlalchemy as sa
import gulou_desk.db


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('login_throttle',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('window_start', gulou_desk.db.AwareDateTime(timezone=True), nullable=False),
    sa.Column('locked_until', gulou_desk.db.AwareDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle'))
    )
    op.create_table('seen_signatures',
    sa.Column('signature', sa.String(length=64), nullable=False),
    sa.Column('expires_at', gulou_desk.db.AwareDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('signature', name=op.f('pk_seen_signatures'))
    )
    with op.batch_alter_table('seen_signatures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seen_signatures_expires_at'), ['expires_at'],
                              unique=False)
    with op.batch_alter_table('refresh_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('successor_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('successor_sealed', sa.Text(), nullable=True))
    op.drop_table('login_failures')


def downgrade() -> None:
    op.create_table('login_failures',
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('first_failure_at', gulou_desk.db.AwareDateTime(timezone=True), nullable=False),
    sa.Column('locked_until', gulou_desk.db.AwareDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('username', name=op.f('pk_login_failures'))
    )
    with op.batch_alter_table('refresh_tokens', schema=None) as batch_op:
        batch_op.drop_column('successor_sealed')
        batch_op.drop_column('successor_hash')
    with op.batch_alter_table('seen_signatures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seen_signatures_expires_at'))
    op.drop_table('seen_signatures')
    op.drop_table('login_throttle')
