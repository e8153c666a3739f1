"""matching-report and calibrate-matching: the link decision judged and refitted on people's decisions."""
import numpy as np
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.matching import default_decision
from factcheck.matching.calibration import log_loss
from factcheck.models import Claim, ClaimLink, StoredLinkDecision
from factcheck.models.types import utcnow
from factcheck.services.links import calibration as link_calibration
from factcheck.storage.uow import transaction
from tests.conftest import make_app
from tests.unit.test_link_decision import encoder  # noqa: F401 (the sentence model, or a skip)

TOPICS = ["the governor cut funding for public schools", "the city council banned plastic bags at stores",
          "the senator voted against the new highway budget", "the company laid off workers at its plant",
          "the state raised the minimum wage for restaurant staff", "the mayor closed three public libraries",
          "the hospital treated patients with the new flu vaccine", "the army sent soldiers to the border region"]


def _store(pairs: list[tuple[str, str, float, str, str]]) -> None:
    """(text, other text, score, status, decided_by) as links between new claims."""
    with transaction() as session:
        for a, b, score, status, by in pairs:
            first, second = Claim(text=a), Claim(text=b)
            session.add_all([first, second])
            session.flush()
            session.add(ClaimLink(claim_id=first.id, other_id=second.id, score=score, scorer="decision/v1",
                                  status=status, decided_by=by, decided_at=utcnow()))


def _decisions(n: int = 24) -> list:
    out = []
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        claim = f"Reports say {topic} by {10 + i} percent in March last year"
        if i % 2:
            out.append((claim, f"In March last year {topic} by {10 + i} percent, reports say", 60.0 + i, "confirmed",
                        "desk"))
        else:
            out.append((claim, f"Reports say {topic} by {50 + i} percent in May this year", 55.0 + i, "rejected",
                        "desk"))
    return out


def _run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_report_counts_only_what_people_decided_by_score_band(app):
    assert "No link has been confirmed or rejected" in _run(app, "matching-report").output
    _store(_decisions() + [("The engine's own pick of one claim", "The engine's own pick of one claim!",
                            99.0, "confirmed", "engine")])
    result = _run(app, "matching-report")
    assert result.exit_code == 0, result.output
    assert "decision/v1: 24 links decided by people" in result.output
    # Rejected at 55, 57, ..., 77 and confirmed at 61, 63, ..., 83: all confirmed from 79 up.
    assert "   60.0- 70.0          5         5      0.500" in result.output
    assert "   80.0- 90.0          2         0      1.000" in result.output
    assert "suggested thresholds: suggest 61.0 (best F1), auto 79.0" in result.output


def test_too_few_decisions_are_refused_and_nothing_is_stored(app):
    _store(_decisions(6))
    result = _run(app, "calibrate-matching")
    assert result.exit_code == 1 and "at least 20 links people decided" in result.output
    assert db.session.scalars(select(StoredLinkDecision)).all() == []
    assert link_calibration.current_decision() == default_decision()


def test_calibration_is_stored_for_every_worker_and_named_by_new_links(app, encoder):  # noqa: F811
    _store(_decisions())
    result = _run(app, "calibrate-matching")
    assert result.exit_code == 0, result.output
    shipped = default_decision().scorer  # links stored by an earlier decision (decision/v1) are decided too
    assert f"Refitted {shipped} on 24 decisions: now {shipped}+cal1." in result.output
    assert all(name in result.output for name in ("before", "after", "after held out"))
    [stored] = db.session.scalars(select(StoredLinkDecision)).all()
    assert (stored.version, stored.decisions) == (f"{default_decision().version}+cal1", 24)
    refitted = link_calibration.current_decision()
    assert refitted.scorer == f"{shipped}+cal1" and refitted.coefficients != default_decision().coefficients
    # Another app on the same database (another worker) scores with it too.
    other = make_app(app.config["SQLALCHEMY_DATABASE_URI"])
    with other.app_context():
        assert link_calibration.current_decision() == refitted
        db.engine.dispose()
    # The refit fits these decisions better than the decision it started from.
    links = link_calibration.decided_links()
    features = link_calibration._features(links, refitted, app.config["SEMANTIC_PRECISION"])
    confirmed = np.array([x.confirmed for x in links], dtype=float)
    assert log_loss(refitted.probabilities(features), confirmed) < log_loss(
        default_decision().probabilities(features), confirmed)
    assert f"now {shipped}+cal2." in _run(app, "calibrate-matching").output
