"""Which property the failing configurations share, said in words."""
from grader.checks.contrast import Feature, confined_to, confinement_note

CONFIGURATIONS = [{"stride": 1, "pad": 0, "square": True}, {"stride": 1, "pad": 1, "square": True},
                  {"stride": 2, "pad": 1, "square": False}, {"stride": 3, "pad": 2, "square": True},
                  {"stride": 3, "pad": 0, "square": True}]
FEATURES = (Feature("the kernel is not square", lambda c: not c["square"], negation="the kernel is square"),
            Feature("stride", lambda c: c["stride"], declared=False),
            Feature("pad", lambda c: c["pad"], declared=False))


def test_a_threshold_is_found():
    failed = [c["stride"] > 1 for c in CONFIGURATIONS]
    assert confined_to(FEATURES, CONFIGURATIONS, failed) == "stride > 1"


def test_an_equality_is_found():
    failed = [c["pad"] == 0 for c in CONFIGURATIONS]
    assert confined_to(FEATURES, CONFIGURATIONS, failed) == "pad = 0"


def test_a_declared_yes_no_property_is_said_either_way():
    failed = [not c["square"] for c in CONFIGURATIONS]
    assert confined_to(FEATURES, CONFIGURATIONS, failed) == "the kernel is not square"
    assert confined_to(FEATURES, CONFIGURATIONS, [not f for f in failed]) == "the kernel is square"


def test_one_failing_configuration_is_not_explained_by_an_automatic_feature():
    # One configuration differs from the others in many ways: a parameter alone would be a guess.
    failed = [False, False, False, True, False]
    assert confined_to(FEATURES, CONFIGURATIONS, failed) is None


def test_nothing_is_said_when_all_or_none_fail_or_nothing_separates():
    assert confined_to(FEATURES, CONFIGURATIONS, [True] * 5) is None
    assert confined_to(FEATURES, CONFIGURATIONS, [False] * 5) is None
    assert confined_to(FEATURES, CONFIGURATIONS, [True, False, True, False, False]) is None


def test_the_note():
    assert confinement_note("pad = 0", 3, 9) == " (it fails only where pad = 0: 3 of 9 configurations)"
    assert confinement_note(None, 3, 9) == " (and 2 more of 9 configurations)"
    assert confinement_note(None, 1, 9) == ""
