"""Visit form versions (issue 18): a template's English name (issue 11), the form its
version belongs to, who published it and when. New columns only (empty on the forms
held: a form without ``form_id`` is its own form, without ``name_en`` shows ``name``).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 23:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import gulou_desk.db

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


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
