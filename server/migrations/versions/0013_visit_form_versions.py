"""visit form versions: English name, form id, who published and when

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 23:00:00
"""
from alembic import op
import sqlalchemy as sa
import gulou_desk.db


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('visit_templates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_en', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('form_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('published_at',
                                      gulou_desk.db.AwareDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('published_by_id', sa.String(length=64),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('visit_templates', schema=None) as batch_op:
        batch_op.drop_column('published_by_id')
        batch_op.drop_column('published_at')
        batch_op.drop_column('form_id')
        batch_op.drop_column('name_en')
