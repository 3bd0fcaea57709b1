"""What a confined learner's process can import: its folder's modules, served from memory (grader.sandbox.confine)."""
import py_compile
import sys

from grader.sandbox.confine import Sources


def test_a_module_is_served_from_its_source_or_an_up_to_date_pyc_never_a_stale_one(tmp_path, monkeypatch):
    helper = tmp_path / "helper_for_confine.py"
    helper.write_text("ANSWER = 1\n")
    py_compile.compile(str(helper))  # an up-to-date .pyc beside it
    graded = tmp_path / "graded.py"
    graded.write_text("from helper_for_confine import ANSWER\n")
    sources = Sources.read(graded)
    assert str(helper) in sources._compiled  # the .pyc is used: no compiling at import
    helper.write_text("ANSWER = 22  # changed since\n")  # the .pyc is stale now (size and time)
    sources = Sources.read(graded)
    assert str(helper) not in sources._compiled
    monkeypatch.setattr(sys, "meta_path", [sources, *sys.meta_path])
    monkeypatch.delitem(sys.modules, "helper_for_confine", raising=False)
    module = sources.load(graded, "learner_graded")
    assert module.ANSWER == 22 and module.__file__ == str(graded)
    sys.modules.pop("helper_for_confine", None)
