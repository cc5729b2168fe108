"""Tests of course.lessons.threads (lesson 1), one file per module."""
