"""households: when they were registered (``created_at``)

No visit is dated before the day its household was registered. A household held gets the
time of its first write in the audit log (its registration through the desk, or the first
change of a seeded one); households the log does not know keep none (registered before the
desk: no visit date is refused for them). The stored wire data gets the same value.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 22:50:00
"""
import json

from alembic import op
import sqlalchemy as sa
import gulou_desk.db
from gulou_desk.records import format_datetime


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.add_column(sa.Column('created_at', gulou_desk.db.AwareDateTime(timezone=True),
                                      nullable=True))
    conn = op.get_bind()
    households = sa.table('households', sa.column('id', sa.String),
                          sa.column('wire', sa.Text),
                          sa.column('created_at', gulou_desk.db.AwareDateTime()))
    audit = sa.table('audit_log', sa.column('entity', sa.String),
                     sa.column('record_id', sa.String),
                     sa.column('at', gulou_desk.db.AwareDateTime()))
    first = (sa.select(audit.c.record_id, sa.func.min(audit.c.at).label('at'))
             .where(audit.c.entity == 'household').group_by(audit.c.record_id).subquery())
    rows = conn.execute(sa.select(households.c.id, households.c.wire, first.c.at)
                        .join(first, first.c.record_id == households.c.id)).all()
    for record_id, wire, at in rows:
        at = gulou_desk.db.AwareDateTime().process_result_value(at, conn.dialect)
        assert at is not None  # an inner join on the log's times
        data = json.loads(wire)
        data['created_at'] = format_datetime(at)
        conn.execute(sa.update(households).where(households.c.id == record_id)
                     .values(created_at=at, wire=json.dumps(data, ensure_ascii=False)))


def downgrade() -> None:
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_column('created_at')
