"""inbox messages: the thread of replies (``replies``)

Every reply to a resident's message is kept (text, who, when), not only the last one in
``reply_text``; a reply no longer ends triage, so a message can be answered more than
once. Messages answered before keep their one reply in ``reply_text``.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('replies', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.drop_column('replies')
