"""the change log names the device whose push wrote a version exactly as it sent it

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 06:15:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (nullable, no default) on both backends: the log can be long, and
    # a batch (copying) migration of it on SQLite would rewrite every entry.
    op.add_column('change_log', sa.Column('exact_client', sa.String(length=64),
                                          nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.drop_column('exact_client')
