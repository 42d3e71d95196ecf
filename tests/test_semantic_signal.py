"""The semantic signal in the product: the worker stores embeddings, live indexes read them,
an edit is re-embedded, and everything works when the model is absent."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from matching import semantic
from trustee_match.extensions import db
from trustee_match.models import ChangeKind, EmbeddingKind, RankerChange, TextEmbedding
from trustee_match.ranking.changes import record_change
from trustee_match.ranking.embeddings import EmbeddingSweep, sweeper, with_stored
from trustee_match.ranking.live_index import live_index
from trustee_match.ranking.records import volunteer_record
from trustee_match.ranking.suggestions import suggest_needs_for

from .conftest import login
from .factories import NeedFactory, StaffFactory, VolunteerFactory


@pytest.fixture
def semantic_on(app: Flask) -> Flask:
    app.config["RANKER_SEMANTIC"] = True
    return app


@pytest.fixture
def model_absent(monkeypatch):
    monkeypatch.setattr(semantic, "_default", [])
    monkeypatch.setattr("matching.minilm.packaged_model_dir", lambda: None)


def _stored(kind: EmbeddingKind) -> int:
    return db.session.scalar(
        select(func.count()).select_from(TextEmbedding).where(TextEmbedding.kind == kind)
    )


def test_the_worker_embeds_every_profile_and_role_once(semantic_on: Flask) -> None:
    need = NeedFactory(title="Treasurer for a food bank")
    volunteers = [VolunteerFactory() for _ in range(3)]
    sweep = EmbeddingSweep()
    assert sweep.step() == 4
    assert _stored(EmbeddingKind.VOLUNTEER) == 3
    assert _stored(EmbeddingKind.NEED) == 1
    changes = set(db.session.execute(select(RankerChange.kind, RankerChange.object_id)))
    assert {(ChangeKind.VOLUNTEER, v.id) for v in volunteers} <= changes
    assert (ChangeKind.NEED, need.id) in changes
    assert sweep.step() == 0  # nothing has changed since


def test_live_index_ranks_with_stored_vectors_and_never_runs_the_model(
    semantic_on: Flask, monkeypatch
) -> None:
    need = NeedFactory(title="Treasurer", description="Look after our budgets and audit.")
    accountant = VolunteerFactory(
        volunteer_profile__headline="Chartered accountant: budgets and financial audits"
    )
    EmbeddingSweep().step()

    def refuse(texts):
        raise AssertionError(f"the model ran in a request for {texts!r}")

    model = semantic.default_embedder()
    monkeypatch.setattr(model, "encode", refuse)
    proposals = live_index().get().top_volunteers(str(need.id), k=5)
    by_id = {p.volunteer_id: p for p in proposals}
    assert by_id[str(accountant.id)].breakdown["semantic"] is not None
    # A volunteer's dashboard asks with the profile as saved, plus its stored vector.
    suggest_needs_for(accountant)
    record = with_stored(volunteer_record(accountant.volunteer_profile), EmbeddingKind.VOLUNTEER)
    assert record.embedding is not None and record.embedding.shape == (384,)


def test_an_edited_profile_is_re_embedded_and_reaches_the_index(semantic_on: Flask) -> None:
    volunteer = VolunteerFactory(volunteer_profile__headline="Gardener")
    sweep = EmbeddingSweep()
    sweep.step()
    before = db.session.get(TextEmbedding, (EmbeddingKind.VOLUNTEER, volunteer.id)).text_key
    profile = volunteer.volunteer_profile
    profile.headline = "Data protection officer: GDPR and DPIAs"
    record_change(ChangeKind.VOLUNTEER, volunteer.id)
    db.session.commit()
    assert sweep.step() == 1
    db.session.expire_all()
    after = db.session.get(TextEmbedding, (EmbeddingKind.VOLUNTEER, volunteer.id)).text_key
    assert after != before


def test_without_the_model_the_site_ranks_and_the_command_says_why(
    semantic_on: Flask, model_absent, client
) -> None:
    need = NeedFactory(title="Cyber security trustee")
    VolunteerFactory(volunteer_profile__headline="Head of cyber security")
    staff = StaffFactory()
    assert sweeper().step() == 0
    proposals = live_index().get().top_volunteers(str(need.id), k=5)
    assert proposals and proposals[0].breakdown.get("semantic") is None
    login(client, staff.email)
    assert client.get(f"/staff/needs/{need.id}/candidates").status_code == 200
    result = semantic_on.test_cli_runner().invoke(args=["matches", "embed"])
    assert result.exit_code != 0
    assert "semantic model is not available" in result.output


def test_embed_command_reports_what_it_did(semantic_on: Flask) -> None:
    NeedFactory(title="Fundraising trustee")
    VolunteerFactory()
    result = semantic_on.test_cli_runner().invoke(args=["matches", "embed"])
    assert result.exit_code == 0, result.output
    assert "Embedded 2 profiles and roles" in result.output


def test_the_worker_stores_skills_named_by_meaning_and_attaches_them(semantic_on: Flask) -> None:
    volunteer = VolunteerFactory(
        volunteer_profile__headline="Privacy lead, NHS hospital trust",
        volunteer_profile__bio="Keen gardener.",
    )
    EmbeddingSweep().step()
    row = db.session.get(TextEmbedding, (EmbeddingKind.VOLUNTEER, volunteer.id))
    assert row.mentions.get("data-protection") == "Privacy lead"
    assert not any("gardener" in phrase for phrase in row.mentions.values())
    record = with_stored(volunteer_record(volunteer.volunteer_profile), EmbeddingKind.VOLUNTEER)
    assert record.meaning_mentions == row.mentions
