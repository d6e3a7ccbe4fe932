"""Resident participation: the local copies of questionnaires and their responses,
consultations with their comments and meetings, volunteers and volunteer activities.
New tables only: nothing held changes.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 15:38:14.939324
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import gulou_desk.db

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def upgrade() -> None:
    op.create_table('consultation_comments',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('consultation_id', sa.String(length=64), nullable=True),
    sa.Column('grid_id', sa.String(length=64), nullable=True),
    sa.Column('author_kind', sa.String(length=64), nullable=True),
    sa.Column('sender_id', sa.String(length=64), nullable=True),
    sa.Column('sender_name', sa.String(length=64), nullable=True),
    sa.Column('household_id', sa.String(length=64), nullable=True),
    sa.Column('staff_id', sa.String(length=64), nullable=True),
    sa.Column('stance', sa.String(length=64), nullable=True),
    sa.Column('choice', sa.String(length=4), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('channel', sa.String(length=64), nullable=True),
    sa.Column('stage', sa.String(length=64), nullable=True),
    sa.Column('received_at', gulou_desk.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('message_id', sa.String(length=128), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_comments'))
    )
    with op.batch_alter_table('consultation_comments', schema=None) as batch_op:
        batch_op.create_index('ix_consultation_comments_consultation_id_received_at', ['consultation_id', 'received_at'], unique=False)

    op.create_table('consultation_meetings',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('consultation_id', sa.String(length=64), nullable=True),
    sa.Column('held_at', gulou_desk.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('place', sa.String(length=128), nullable=True),
    sa.Column('attendees', sa.JSON(), nullable=True),
    sa.Column('minutes', sa.Text(), nullable=True),
    sa.Column('photos', sa.JSON(), nullable=True),
    sa.Column('votes', sa.JSON(), nullable=True),
    sa.Column('created_by_id', sa.String(length=64), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_meetings'))
    )
    with op.batch_alter_table('consultation_meetings', schema=None) as batch_op:
        batch_op.create_index('ix_consultation_meetings_consultation_id', ['consultation_id'], unique=False)

    op.create_table('consultations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('community_id', sa.String(length=64), nullable=True),
    sa.Column('grid_ids', sa.JSON(), nullable=True),
    sa.Column('topic', sa.String(length=128), nullable=True),
    sa.Column('background', sa.Text(), nullable=True),
    sa.Column('proposer_kind', sa.String(length=64), nullable=True),
    sa.Column('proposer_name', sa.String(length=64), nullable=True),
    sa.Column('proposer_household_id', sa.String(length=64), nullable=True),
    sa.Column('stage', sa.String(length=64), nullable=True),
    sa.Column('options', sa.JSON(), nullable=True),
    sa.Column('decision', sa.Text(), nullable=True),
    sa.Column('announcement', sa.Text(), nullable=True),
    sa.Column('ticket_ids', sa.JSON(), nullable=True),
    sa.Column('questionnaire_id', sa.String(length=64), nullable=True),
    sa.Column('code', sa.String(length=16), nullable=True),
    sa.Column('created_by_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', gulou_desk.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('published_at', gulou_desk.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('history', sa.JSON(), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultations'))
    )
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.create_index('ix_consultations_community_id_stage', ['community_id', 'stage'], unique=False)

    op.create_table('questionnaire_responses',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('questionnaire_id', sa.String(length=64), nullable=True),
    sa.Column('grid_id', sa.String(length=64), nullable=True),
    sa.Column('household_id', sa.String(length=64), nullable=True),
    sa.Column('sender_id', sa.String(length=64), nullable=True),
    sa.Column('sender_name', sa.String(length=64), nullable=True),
    sa.Column('answers', sa.JSON(), nullable=True),
    sa.Column('channel', sa.String(length=64), nullable=True),
    sa.Column('received_at', gulou_desk.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('entered_by_id', sa.String(length=64), nullable=True),
    sa.Column('message_id', sa.String(length=128), nullable=True),
    sa.Column('history', sa.JSON(), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire_responses'))
    )
    with op.batch_alter_table('questionnaire_responses', schema=None) as batch_op:
        batch_op.create_index('ix_questionnaire_responses_questionnaire_id_grid_id', ['questionnaire_id', 'grid_id'], unique=False)

    op.create_table('questionnaires',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('community_id', sa.String(length=64), nullable=True),
    sa.Column('grid_ids', sa.JSON(), nullable=True),
    sa.Column('title', sa.String(length=128), nullable=True),
    sa.Column('intro', sa.Text(), nullable=True),
    sa.Column('questions', sa.JSON(), nullable=True),
    sa.Column('template', sa.String(length=32), nullable=True),
    sa.Column('opens_at', gulou_desk.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('closes_at', gulou_desk.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=64), nullable=True),
    sa.Column('results_visibility', sa.String(length=64), nullable=True),
    sa.Column('code', sa.String(length=16), nullable=True),
    sa.Column('created_by_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', gulou_desk.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', gulou_desk.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaires'))
    )
    with op.batch_alter_table('questionnaires', schema=None) as batch_op:
        batch_op.create_index('ix_questionnaires_community_id_status', ['community_id', 'status'], unique=False)

    op.create_table('volunteer_activities',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('community_id', sa.String(length=64), nullable=True),
    sa.Column('grid_ids', sa.JSON(), nullable=True),
    sa.Column('title', sa.String(length=128), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('place', sa.String(length=128), nullable=True),
    sa.Column('starts_at', gulou_desk.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('ends_at', gulou_desk.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('needed', sa.Integer(), nullable=True),
    sa.Column('signups', sa.JSON(), nullable=True),
    sa.Column('attended', sa.JSON(), nullable=True),
    sa.Column('status', sa.String(length=64), nullable=True),
    sa.Column('code', sa.String(length=16), nullable=True),
    sa.Column('created_by_id', sa.String(length=64), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_activities'))
    )
    with op.batch_alter_table('volunteer_activities', schema=None) as batch_op:
        batch_op.create_index('ix_volunteer_activities_community_id_starts_at', ['community_id', 'starts_at'], unique=False)

    op.create_table('volunteers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('community_id', sa.String(length=64), nullable=True),
    sa.Column('name', sa.String(length=64), nullable=True),
    sa.Column('household_id', sa.String(length=64), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('skills', sa.JSON(), nullable=True),
    sa.Column('availability', sa.String(length=128), nullable=True),
    sa.Column('sender_id', sa.String(length=64), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=True),
    sa.Column('joined_at', gulou_desk.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteers'))
    )
    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.create_index('ix_volunteers_community_id', ['community_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.drop_index('ix_volunteers_community_id')

    op.drop_table('volunteers')
    with op.batch_alter_table('volunteer_activities', schema=None) as batch_op:
        batch_op.drop_index('ix_volunteer_activities_community_id_starts_at')

    op.drop_table('volunteer_activities')
    with op.batch_alter_table('questionnaires', schema=None) as batch_op:
        batch_op.drop_index('ix_questionnaires_community_id_status')

    op.drop_table('questionnaires')
    with op.batch_alter_table('questionnaire_responses', schema=None) as batch_op:
        batch_op.drop_index('ix_questionnaire_responses_questionnaire_id_grid_id')

    op.drop_table('questionnaire_responses')
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index('ix_consultations_community_id_stage')

    op.drop_table('consultations')
    with op.batch_alter_table('consultation_meetings', schema=None) as batch_op:
        batch_op.drop_index('ix_consultation_meetings_consultation_id')

    op.drop_table('consultation_meetings')
    with op.batch_alter_table('consultation_comments', schema=None) as batch_op:
        batch_op.drop_index('ix_consultation_comments_consultation_id_received_at')

    op.drop_table('consultation_comments')
