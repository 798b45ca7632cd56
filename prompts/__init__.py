"""Prompt templates, shipped as files (Chinese). ``load("answer")`` reads ``answer.txt``."""

from importlib.resources import files


def load(name: str) -> str:
    return (files(__package__) / f"{name}.txt").read_text(encoding="utf-8")
