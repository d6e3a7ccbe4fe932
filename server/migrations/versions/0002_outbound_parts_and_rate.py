"""outbound messages: split parts and hand-out time (rate limit)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 10:00:00
"""
from alembic import op
import sqlalchemy as sa
import gulou_desk.db


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbound_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('part', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('handed_out_at',
                                      gulou_desk.db.AwareDateTime(timezone=True),
                                      nullable=True))
        batch_op.create_index(batch_op.f('ix_outbound_messages_acked_at'), ['acked_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbound_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbound_messages_acked_at'))
        batch_op.drop_column('handed_out_at')
        batch_op.drop_column('part')
