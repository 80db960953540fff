"""The content of the two pathways (docs/ODD.md, 7.10-7.12): each mechanism has an effect
in the direction its source gives when on, and none when off (negative controls). Runs are
paired by seed; directions are checked on sums over two seeds (each direction also held in
each of seeds 1, 2 and 3 on its own when the third seed was dropped to save time). Runs with
the same parameters are run once and shared between tests."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest

from netmob.sim.model import NetworkModel
from netmob.sim.pathways import mobilisation
from netmob.sim.pathways.readiness import elicit, guess_prefs
from netmob.sim.programmes.state import STAGE
from netmob.sim.run import collect
from netmob.sim.state import OBJECTIVE, ORIGIN, SERVES
from tests.conftest import small

SEEDS = (1, 2)


def genie(n=400, weeks=52, **extra):
    """GENIE with many referrals and enough workers, so that many people go through."""
    return small(
        n=n,
        weeks=weeks,
        burn_in=6,
        **{
            "programme.preset": "genie",
            "programme.refer_rate": 2.0,
            "programme.workers": 6,
            **extra,
        },
    )


RUNS: dict[tuple[int, str], NetworkModel] = {}


def run(seed=1, **extra) -> NetworkModel:
    """A finished GENIE model, run once for each seed and set of parameters (however they
    were given) and shared between tests: do not change it."""
    params = genie(**extra)
    key = (seed, params.model_dump_json())
    if key not in RUNS:
        RUNS[key] = NetworkModel(params, seed=seed).run()
    return RUNS[key]


def total(col: str, seeds=SEEDS, **extra) -> float:
    """A client column summed over the referred people of runs with ``seeds``."""
    out = 0.0
    for s in seeds:
        c = run(s, **extra).programme.clients
        out += float(c._cols[col][: len(c)][c.referred >= 1].sum())
    return out


# ---- negative controls: a mechanism's parameters do nothing when it is switched off ----


def outputs(weeks: int, **over):
    """The people and weekly tables of a GENIE run at seed 4 (shared)."""
    return _outputs(weeks, tuple(sorted(over.items())))


@functools.cache
def _outputs(weeks: int, over: tuple):
    return collect(NetworkModel(genie(weeks=weeks, **dict(over)), seed=4).run())


# act once changes are sustained, or (confidence) once a trial went well and a later fit
# follows: after week 30 here
LATE = {"pathways.sustained_stop", "pathways.trial_confidence"}


@pytest.mark.parametrize(
    "off, changed",
    [
        ({"pathways.nudge": False}, {"pathways.nudge_fires": "each_contact"}),
        ({"pathways.mobilisation": False}, {"pathways.contemplate_members": 5.0}),
        (
            {"pathways.forefronting": False},
            {
                "pathways.forefront_speed": 5.0,
                "pathways.forefront_focus": 10.0,
                "pathways.concern_cut": 0.2,
            },
        ),
        ({"wellbeing.negative_strain_lonely": False}, {"wellbeing.ucla_per_negative": 3.0}),
        ({"pathways.mobilisation": False}, {"pathways.revalue_freq": 5.0}),
        ({"pathways.mobilisation": False}, {"pathways.sustained_stop": 0.0}),
        (
            {"pathways.negotiation": False},
            {
                "pathways.agree": 0.1,
                "pathways.negotiate_back": 1.0,
                "pathways.agreed_freq": 3.0,
                "pathways.agreed_members": 5.0,
            },
        ),
        (
            {"pathways.rehearsal": False},
            {"pathways.give_up_first": 1.0, "pathways.trial_known": 1.0},
        ),
        # (0: no confidence from a good trial; above the default 0.1 the readiness it adds
        # crosses the same thresholds at seed 4, so 0.5 changed nothing once ties strained)
        ({"pathways.rehearsal": False}, {"pathways.trial_confidence": 0.0}),
        (
            {"pathways.elicitation": False},
            {"pathways.guess_noise": 1.0, "pathways.elicit_noise": 1.0},
        ),
        (
            {"pathways.nudge": False, "pathways.mobilisation": False},
            {"programme.need_matching": 5.0},
        ),
    ],
)
def test_switched_off_mechanism_has_no_effect(off, changed):
    """With its switch off, changing a mechanism's parameters changes nothing, bit for bit
    (people and weekly tables, seed 4, 30 weeks or 52 for what acts late); with it on (the positive control), the same change
    does change them, so the identity is not that of parameters nothing reads. Fails if a
    switched-off mechanism still acts, or if the parameters do nothing even when on."""
    weeks = 52 if LATE & set(changed) else 30
    a, b = outputs(weeks, **off), outputs(weeks, **off, **changed)
    pd.testing.assert_frame_equal(a.people, b.people, check_exact=True)
    pd.testing.assert_frame_equal(a.weekly, b.weekly, check_exact=True)
    on, on_changed = outputs(weeks), outputs(weeks, **changed)
    assert not (on.people.equals(on_changed.people) and on.weekly.equals(on_changed.weekly)), (
        f"{changed} changes nothing even with the mechanism on"
    )


def test_mechanisms_off_leave_no_trace():
    """Contemplation, negotiation and rehearsal off: no readiness added, no companions,
    no trials, no failed negotiations; forefronting off: no concern brought to the fore."""
    c = run(
        **{
            "pathways.contemplate_members": 0.0,
            "pathways.negotiation": False,
            "pathways.rehearsal": False,
            "pathways.forefronting": False,
        }
    ).programme.clients
    assert (c.stage_reached >= STAGE["adopting"]).sum() > 10  # people did go through
    for col in ("network_extra", "known_extra", "confidence", "negotiations_failed"):
        assert c._cols[col][: len(c)].sum() == 0, col
    for col in ("trials_given_up", "forefronted"):
        assert c._cols[col][: len(c)].sum() == 0, col
    assert (c.companion < 0).all() and (c.trial < 0).all() and (c.concern < 0).all()


# ---- the nudge: once per fit episode or again at each contact ----


def test_nudge_fires_once_per_fit_episode_fewer_than_at_each_contact():
    """A nudge that can fire again at every contact fires more often than one per fit
    episode; under once_per_fit, the episodes used are those of people who still fit."""
    once = total("nudges", **{"pathways.nudge_fires": "once_per_fit"})
    each = total("nudges", **{"pathways.nudge_fires": "each_contact"})
    assert 0 < once < each
    m = run(**{"pathways.nudge_fires": "once_per_fit"})
    assert m.programme.clients.nudge_used.sum() > 0


# ---- mobilisation: each stage does something ----


def test_contemplation_grows_with_how_valued_close_members_are():
    """Reflecting on the map adds more readiness when close members are more valued."""
    m = NetworkModel(genie(weeks=2), seed=1)
    who = np.arange(m.n_target)
    m.ties.value_subj[:] = 0.5
    half = mobilisation.contemplation_boost(m, who)
    m.ties.value_subj[:] = 1.0
    full = mobilisation.contemplation_boost(m, who)
    has = full > 0
    assert has.sum() > 50
    np.testing.assert_allclose(half[has], 0.5 * full[has], rtol=1e-5)


def test_contemplation_raises_network_readiness():
    """With contemplation on, people who reached contemplating have more network readiness
    added (and more of them later fit a nudge) than with it off."""
    on = total("network_extra", **{"pathways.contemplate_members": 2.0})
    off = total("network_extra", **{"pathways.contemplate_members": 0.0})
    assert on > off * 1.2
    n_on = total("nudges", **{"pathways.contemplate_members": 2.0})
    n_off = total("nudges", **{"pathways.contemplate_members": 0.0})
    assert n_on >= n_off


def test_the_most_pressing_concern_is_forefronted():
    """An exacerbation brings managing the condition to the fore; a lonely person who wants
    to meet people forefronts meeting people; with no burden, no unmet need and no
    loneliness nothing is pressing (negative control)."""
    m = NetworkModel(genie(weeks=2), seed=1)
    pp, tg, who = m.people, m.targets, np.arange(m.n_target)
    pp.burden[who], pp.support_gap[who], pp.ucla[who] = 0.0, 0.0, 3.0
    pp.exacerbation[who] = False
    _, pressing = mobilisation.concerns(m, who)
    assert not pressing.any()
    pp.exacerbation[who[:10]] = True
    lonely = who[10:][tg.objectives[10:, OBJECTIVE["meet_people"]]][:10]
    pp.ucla[lonely] = 9.0
    concern, pressing = mobilisation.concerns(m, who)
    assert pressing[:10].all() and (concern[:10] == OBJECTIVE["manage_condition"]).all()
    assert pressing[lonely].all() and (concern[lonely] == OBJECTIVE["meet_people"]).all()
    assert pressing.sum() == 10 + len(lonely)


def test_forefronting_speeds_contemplation_rather_than_sending_people_back():
    """'Further contemplated by forefronting immediate concerns' (SRC-GENIE-PROCESS): with
    it on, weeks with a concern at the fore are counted and more people get past
    contemplating than with it off; no more people fall back. With its speed and focus at 0
    the run is the same as with it off, bit for bit (it draws nothing: negative control)."""
    off = {"pathways.forefronting": False}
    assert total("forefronted", **off) == 0
    assert total("forefronted") > 20

    def past(**over) -> int:
        return sum(
            int((run(s, **over).programme.clients.stage_reached > STAGE["contemplating"]).sum())
            for s in SEEDS
        )

    assert past() > past(**off)
    assert total("regressions") <= total("regressions", **off) * 1.05
    idle = outputs(30, **{"pathways.forefront_speed": 0.0, "pathways.forefront_focus": 0.0})
    pd.testing.assert_frame_equal(idle.people, outputs(30, **off).people, check_exact=True)


def test_the_forefronted_concern_decides_which_change_is_taken_up():
    """Resources mobilisation takes up for people with a concern at the fore serve that
    concern more often with ``forefront_focus`` than without (negative control: 0)."""

    def serving(focus: float) -> float:
        hit = n = 0
        for s in SEEDS:
            m = run(s, **{"pathways.forefront_focus": focus})
            a, c = m.attendance, m.programme.clients
            rows = np.flatnonzero(a.origin == ORIGIN["mobilisation"])
            rows = rows[c.concern[a.person[rows]] >= 0]
            kind = m.resources.kind[a.resource[rows]]
            hit += int(SERVES[kind, c.concern[a.person[rows]]].sum())
            n += len(rows)
        assert n > 30
        return hit / n

    assert serving(2.0) > serving(0.0) + 0.05


def test_agreement_rises_with_tie_strength_and_falls_with_strain():
    """A close member agrees more readily on a strong tie and less when already giving a lot."""
    m = NetworkModel(genie(weeks=2), seed=1)
    tie = np.flatnonzero(mobilisation.close_members(m))[:50]
    m.ties.strength[tie] = 0.4
    m.people.support_given[:] = 0.0
    weak = mobilisation.agree_prob(m, tie)
    m.ties.strength[tie] = 0.9
    strong = mobilisation.agree_prob(m, tie)
    m.people.support_given[m.ties.alter[tie]] = 0.5 * m.params.support.member_strain
    strained = mobilisation.agree_prob(m, tie)
    assert (strong > weak).all() and (strained < strong).all()


def test_negotiation_brings_members_along_and_can_fail():
    """Negotiating agrees company with a member, who then comes along to what is tried:
    more members along with it than without; a low chance of agreement fails more often."""
    along_on = total("along_m", **{"pathways.negotiation": True})
    along_off = total("along_m", **{"pathways.negotiation": False})
    assert along_on > along_off
    easy = total("negotiations_failed", **{"pathways.agree": 1.0})
    hard = total("negotiations_failed", **{"pathways.agree": 0.2})
    assert hard > easy
    assert total("companion", **{"pathways.agree": 1.0}) != 0


def test_revaluing_makes_contact_with_undervalued_ties_more_frequent():
    """Re-valued ties are drawn on through contact too (loneliness, not only support gaps)."""
    freq = {}
    for value in (0.0, 1.0):
        f = 0.0
        for s in SEEDS:
            m = run(s, **{"pathways.revalue_freq": value})
            t = m.ties
            rows = (t.changed_by == ORIGIN["mobilisation"]) & t.active
            f += float(t.freq[rows].sum())
        freq[value] = f
    assert freq[1.0] > freq[0.0] * 1.1


def test_rehearsal_trials_are_given_up_after_bad_first_visits():
    """Trying before adopting: a higher chance of giving up after the first visit means more
    trials given up and fewer people adopting."""
    often = {"pathways.give_up_first": 1.0}
    never = {"pathways.give_up_first": 0.0}
    assert total("trials_given_up", **often) > total("trials_given_up", **never)
    adopt = {}
    for label, over in (("often", often), ("never", never)):
        adopt[label] = sum(
            int((run(s, **over).programme.clients.stage_reached >= STAGE["adopting"]).sum())
            for s in SEEDS
        )
    assert adopt["often"] < adopt["never"]


def test_trial_visits_raise_readiness_that_nudges_need():
    """The pathways interact: what mobilisation leaves (readiness from reflecting, agreeing
    and trying) lets more nudges fit later."""
    none = {
        "pathways.contemplate_members": 0.0,
        "pathways.agreed_members": 0.0,
        "pathways.trial_known": 0.0,
        "pathways.trial_confidence": 0.0,
    }
    assert total("known_extra") > 0 and total("confidence") > 0
    assert total("known_extra", **none) == 0 and total("confidence", **none) == 0
    assert total("nudges") > total("nudges", **none)


def test_sustained_changes_are_given_up_less_often():
    """Once a change is sustained, the resources mobilisation started for it last longer."""
    kept = {}
    for factor in (0.0, 1.0):
        k = 0
        for s in SEEDS:
            m = run(s, weeks=80, **{"pathways.sustained_stop": factor})
            a = m.attendance
            k += int((a.active & (a.origin == ORIGIN["mobilisation"])).sum())
        kept[factor] = k
    assert kept[0.0] > kept[1.0]


# ---- preferences elicited, needs matched ----


def test_elicitation_is_learnt_over_sessions_with_noise_shrinking_with_strength():
    """Before a session the programme has the worker's guess; each full-strength session
    closes ``elicit_learn`` of the gap to the true preferences, so the match grows with
    sessions; a weak session hears them with error. Negative control: with ``elicit_learn``
    0 sessions teach nothing."""
    m = NetworkModel(genie(weeks=2), seed=1)
    tg = m.targets
    g = guess_prefs(tg.prefs, 0.25, np.random.default_rng(0))
    assert abs(np.corrcoef(g.ravel(), tg.prefs.ravel())[0, 1]) < 0.2
    who = np.arange(m.n_target)
    m.programme.clients.high_fidelity[:] = True
    m.programme.clients.fidelity[:] = 1.0  # delivered as designed: every component at full strength
    errors = [np.abs(m.readiness.prefs_seen - tg.prefs).mean()]
    for k in range(4):
        elicit(m, who, np.random.default_rng(k))
        errors.append(np.abs(m.readiness.prefs_seen - tg.prefs).mean())
    learn = m.params.pathways.elicit_learn
    # at full strength each session closes exactly `learn` of the gap (no noise)
    np.testing.assert_allclose(errors[1:], errors[0] * (1 - learn) ** np.arange(1, 5), rtol=1e-3)
    assert errors[4] < 0.05 * errors[0]
    weak = NetworkModel(genie(weeks=2, **{"programme.preference_elicitation": 0.2}), 1)
    weak.programme.clients.high_fidelity[:] = True
    weak.programme.clients.fidelity[:] = 1.0
    for k in range(6):
        elicit(weak, who, np.random.default_rng(k))
    err = np.abs(weak.readiness.prefs_seen - tg.prefs).mean()
    assert 0.05 < err < 0.3
    assert (
        m.programme.clients.elicited.all() and (m.readiness.objectives_seen == tg.objectives).all()
    )
    frozen = NetworkModel(genie(weeks=2, **{"pathways.elicit_learn": 0.0}), 1)
    before = frozen.readiness.prefs_seen.copy()
    elicit(frozen, who, np.random.default_rng(0))
    np.testing.assert_array_equal(frozen.readiness.prefs_seen, before)


def _fit_of_take_ups(**extra) -> float:
    """Mean true preference x acceptability of the resources the pathways took up."""
    fit, k = 0.0, 0
    for s in SEEDS:
        m = run(s, **extra)
        a, tg = m.attendance, m.targets
        rows = np.flatnonzero(a.origin >= ORIGIN["nudge"])
        p, kind = a.person[rows], m.resources.kind[a.resource[rows]]
        fit += float((tg.prefs[p, kind] * tg.acceptability[p, kind]).sum())
        k += len(rows)
    return fit / k


def test_elicitation_off_matches_on_true_preferences_better_than_a_weak_session():
    """Matching on what the worker guessed or a weak session revealed fits people less well
    than matching on what they would truly like (elicitation off)."""
    weak = {"programme.preference_elicitation": 0.0, "pathways.elicit_noise": 1.0}
    assert not run(**weak).programme.clients.elicited.any()  # no elicitation: no session
    c = run().programme.clients
    assert c.elicited[c.contacts > 0].mean() > 0.7  # GENIE: mostly at the first contact
    on = _fit_of_take_ups(**weak)
    off = _fit_of_take_ups(**weak, **{"pathways.elicitation": False})
    assert off > on + 0.01


def test_need_matching_prefers_resources_serving_a_persons_objectives():
    """PLANS tailors by need: with need matching, more of what the pathways take up serves
    one of the person's own objectives."""
    share = {}
    for w in (0.0, 5.0):
        hit, k = 0, 0
        for s in SEEDS:
            m = run(s, **{"programme.need_matching": w})
            a, tg = m.attendance, m.targets
            rows = np.flatnonzero(a.origin >= ORIGIN["nudge"])
            kind = m.resources.kind[a.resource[rows]]
            hit += int((tg.objectives[a.person[rows]] & SERVES[kind]).any(axis=1).sum())
            k += len(rows)
        share[w] = hit / k
    assert share[5.0] > share[0.0] + 0.02
