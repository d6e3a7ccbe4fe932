"""inbox messages: when they were dismissed (``dismissed_at``)

A dismissal can be undone on the day it was made (the ``restore`` step). Messages
dismissed before keep no time and may be restored.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 19:30:00
"""
from alembic import op
import sqlalchemy as sa
import gulou_desk.db


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dismissed_at', gulou_desk.db.AwareDateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.drop_column('dismissed_at')
