"""The parameter schema: defaults, bounds, sources, and clear errors for bad input."""

from __future__ import annotations

import pytest

from netmob.sim.errors import InputError
from netmob.sim.params import GROUPS, Params, all_fields, field_info


def test_defaults_validate_and_flatten():
    p = Params()
    flat = p.flat()
    assert flat["population.lives_alone"] == 0.253
    assert len(flat) == len(all_fields())


def test_every_parameter_has_unit_meaning_source_and_bounds():
    for f in all_fields():
        if f["lo"] is None:  # switches, names and rules have no bounds
            assert f["meaning"] and f["source"], f["name"]
            continue
        assert f["unit"] and f["meaning"] and f["source"], f["name"]
        assert f["lo"] <= f["default"] <= f["hi"], f["name"]


def test_literature_defaults_cite_calibration_rows():
    cited = {f["name"]: f["source"] for f in all_fields()}
    assert cited["population.age_mean"] == "N2"
    assert cited["ties.loss_inner"] == "T1"
    assert cited["population.no_qualifications"] == "N8"


def test_dotted_and_nested_overrides_agree():
    a = Params.from_overrides({"ties.meet": 0.1})
    b = Params.from_overrides({"ties": {"meet": 0.1}})
    assert a == b and a.ties.meet == 0.1


def test_unknown_parameter_names_field_and_suggests():
    with pytest.raises(InputError) as e:
        Params.from_overrides({"ties.meat": 0.1}, file="x.yaml")
    msg = str(e.value)
    assert (
        "x.yaml" in msg and "ties.meat" in msg and "unknown parameter" in msg and "ties.meet" in msg
    )


def test_unknown_group_is_an_error():
    with pytest.raises(InputError, match="unknown parameter group.*allowed: population"):
        Params.from_overrides({"nonsense": {"a": 1}})


def test_out_of_bounds_names_value_and_range():
    with pytest.raises(InputError) as e:
        Params.from_overrides({"population.n_people": -5})
    msg = str(e.value)
    assert "population.n_people" in msg and "-5" in msg and "from 1 to" in msg


def test_wrong_type_is_an_error():
    with pytest.raises(InputError, match="ties.meet"):
        Params.from_overrides({"ties.meet": "often"})


def test_ltc_shares_must_sum_to_one():
    with pytest.raises(InputError, match="sum to 1"):
        Params.from_overrides({"population.ltc_1": 0.5})


def test_field_info_unknown():
    with pytest.raises(InputError):
        field_info("ties.nothing")
    assert set(GROUPS) >= {"population", "network", "ties", "wellbeing"}
