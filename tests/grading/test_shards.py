"""Tests for grading.shards: slices of a class, gradebook copies, merging, the journal."""

from __future__ import annotations

import datetime
import os
import shutil
import sys

import pytest
from fakes import COURSE_ID, make_gradebook
from nbgrader.api import Gradebook

from grading.shards import (Entry, Journal, Shard, Submission, class_list, copy_gradebook,
                            is_sqlite, merge_gradebooks, merge_submission, snapshot,
                            sqlite_path, submitted_pairs)

# nbgrader's add_submission warns under SQLAlchemy 2 when these tests write grades themselves.
pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A gradebook knowing assignment "a" (nbgrader runs `alembic` to create one: once)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", os.pathsep.join([os.path.dirname(sys.executable),
                                              os.environ["PATH"]]))
        return make_gradebook(tmp_path_factory.mktemp("template") / "gradebook.db")


@pytest.fixture
def two_gradebooks(template, tmp_path):
    """(source, target) URLs: copies of the template."""
    urls = []
    for name in ("source.db", "target.db"):
        shutil.copy(template, tmp_path / name)
        urls.append(f"sqlite:///{tmp_path / name}")
    return urls


def _grade(url, student, score, **submission):
    with Gradebook(url, COURSE_ID) as gradebook:
        gradebook.update_or_create_student(student, first_name=student.title())
        gradebook.update_or_create_submission("a", student, **submission)
        grade = gradebook.find_grade("g", "n", "a", student)
        grade.auto_score, grade.needs_manual_grade = score, False
        gradebook.db.commit()


class TestShard:
    @pytest.mark.parametrize("text, index, count", [("0/4", 0, 4), ("3/4", 3, 4), (" 0/1 ", 0, 1)])
    def test_parse(self, text, index, count):
        """"i/N" reads as slice i of N, 0-based."""
        assert Shard.parse(text) == Shard(index, count)

    @pytest.mark.parametrize("text", ["4/4", "-1/4", "0/0", "1", "a/b", "1/2/3", ""])
    def test_parse_rejects(self, text):
        """Anything but 0 <= i < N fails with the rule and the bad value."""
        with pytest.raises(ValueError, match=r"shard must be i/N with N >= 1 and 0 <= i < N, "
                                             rf"e\.g\. 0/4 \(got '{text}'\)"):
            Shard.parse(text)

    def test_slices_partition_the_class(self):
        """The N slices are disjoint, cover the class, differ in size by at most one, and do
        not depend on the order the class was listed in."""
        subs = [Submission(a, f"s{i:02}") for a in ("x", "y") for i in range(11)]
        slices = [Shard(i, 4).select(subs) for i in range(4)]
        assert sorted(s for part in slices for s in part) == sorted(subs)
        assert max(map(len, slices)) - min(map(len, slices)) <= 1
        assert Shard(1, 4).select(reversed(subs)) == slices[1]
        assert {s.assignment for s in slices[0]} == {"x", "y"}  # each assignment spread out

    def test_name(self):
        """A file-name-safe label."""
        assert Shard(2, 5).name == "shard-2-of-5" and str(Shard(2, 5)) == "2/5"


class TestClassList:
    def test_lists_submission_folders_sorted_and_filtered(self, tmp_path):
        """submitted/<student>/<assignment>/ folders, by assignment then student."""
        for student, assignment in [("bob", "a"), ("ann", "a"), ("ann", "b"), ("al", "b")]:
            (tmp_path / student / assignment).mkdir(parents=True)
        (tmp_path / "ann" / "stray.txt").write_text("")
        assert class_list(tmp_path) == [Submission("a", "ann"), Submission("a", "bob"),
                                        Submission("b", "al"), Submission("b", "ann")]
        assert class_list(tmp_path, ["b"]) == [Submission("b", "al"), Submission("b", "ann")]
        assert class_list(tmp_path, students=["a*"]) == [
            Submission("a", "ann"), Submission("b", "al"), Submission("b", "ann")]

    def test_missing_folder_is_an_empty_class(self, tmp_path):
        """No submitted/ yet: nothing to grade."""
        assert class_list(tmp_path / "submitted") == []


class TestGradebookFiles:
    @pytest.mark.parametrize("url, sqlite", [("sqlite:////tmp/g.db", True),
                                             ("postgresql+psycopg2://u@h:5/g", False)])
    def test_is_sqlite(self, url, sqlite):
        """SQLite gradebooks are files to copy; servers take writes directly."""
        assert is_sqlite(url) is sqlite

    def test_sqlite_path(self):
        """The file of an sqlite:/// URL; anything else fails with the rule."""
        assert str(sqlite_path("sqlite:////tmp/g.db")) == "/tmp/g.db"
        with pytest.raises(ValueError, match=r"db_url must be sqlite:///<file> here"):
            sqlite_path("postgresql://h/g")

    def test_copy_gradebook(self, two_gradebooks, tmp_path):
        """A copy holds the same submissions and replaces an older copy."""
        source, _ = two_gradebooks
        _grade(source, "ann", 1.0)
        copy = copy_gradebook(sqlite_path(source), tmp_path / "shards" / "copy.db")
        copy_gradebook(sqlite_path(source), copy)
        with Gradebook(f"sqlite:///{copy}", COURSE_ID) as gradebook:
            assert submitted_pairs(gradebook) == {Submission("a", "ann")}
        assert not list(tmp_path.glob("shards/*.partial"))


class TestMerge:
    def test_merge_copies_exactly_what_was_written(self, two_gradebooks):
        """After a merge the target's snapshot of the submission equals the source's."""
        source, target = two_gradebooks
        stamp = datetime.datetime(2024, 5, 1, 12, 0)
        _grade(source, "ann", 0.5, timestamp=stamp, extension=datetime.timedelta(days=1))
        with Gradebook(source, COURSE_ID) as src, Gradebook(target, COURSE_ID) as dst:
            assert merge_submission(src, dst, Submission("a", "ann"))
            assert snapshot(dst) == snapshot(src)
            assert dst.find_student("ann").first_name == "Ann"

    def test_merge_overwrites_an_older_grade_and_keeps_the_rest(self, two_gradebooks):
        """A regraded submission replaces the target's; other students stay as they were."""
        source, target = two_gradebooks
        _grade(target, "ann", 0.0)
        _grade(target, "bob", 1.0)
        _grade(source, "ann", 1.0)
        with Gradebook(target, COURSE_ID) as dst:
            merged = merge_gradebooks(source, dst, [Submission("a", "ann"),
                                                    Submission("a", "zed")], COURSE_ID)
            assert merged == [Submission("a", "ann")]  # zed is not in the source
            assert {s.student.id: s.score for s in dst.assignment_submissions("a")} == {
                "ann": 1.0, "bob": 1.0}

    def test_snapshot_can_be_limited(self, two_gradebooks):
        """snapshot(submissions=...) keeps only those."""
        source, _ = two_gradebooks
        _grade(source, "ann", 1.0)
        _grade(source, "bob", 0.0)
        with Gradebook(source, COURSE_ID) as gradebook:
            assert list(snapshot(gradebook, [Submission("a", "bob")])) == [Submission("a", "bob")]


class TestJournal:
    def test_round_trip_and_cut_off_line(self, tmp_path):
        """Entries come back as written; a last line cut off by a kill is skipped."""
        journal = Journal(tmp_path / "j" / "run.jsonl")
        entry = Entry("a", "ann", "worker 1", 1.0, 2.0, "graded")
        journal.append(entry)
        with open(journal.path, "a") as file:
            file.write('{"assignment": "a", "stu')
        assert journal.entries() == [entry]
        assert entry.submission == Submission("a", "ann")

    def test_missing_journal_is_empty(self, tmp_path):
        """No journal yet: no entries."""
        assert Journal(tmp_path / "none.jsonl").entries() == []
