"""Tests of the lesson packages, course.lessons.<topic>: one folder per lesson."""
