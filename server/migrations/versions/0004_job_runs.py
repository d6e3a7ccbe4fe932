"""periodic jobs run once across processes: job_runs (server/periodic.py)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 16:00:00
"""
from alembic import op
import sqlalchemy as sa
import gulou_desk.db


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'job_runs',
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('next_due_at', gulou_desk.db.AwareDateTime(timezone=True), nullable=False),
        sa.Column('running_until', gulou_desk.db.AwareDateTime(timezone=True), nullable=True),
        sa.Column('last_started_at', gulou_desk.db.AwareDateTime(timezone=True),
                  nullable=True),
        sa.Column('last_finished_at', gulou_desk.db.AwareDateTime(timezone=True),
                  nullable=True),
        sa.Column('last_host', sa.String(length=128), nullable=True),
        sa.Column('last_outcome', sa.String(length=255), nullable=True),
        sa.Column('runs', sa.Integer(), server_default='0', nullable=False),
        sa.PrimaryKeyConstraint('name'),
    )


def downgrade() -> None:
    op.drop_table('job_runs')
