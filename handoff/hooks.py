"""What the handoff app asks of the scoring app above it (answered in scoring/apps.py)."""

from core.hooks import Hook

# word_reasons(handoffs=[...]): each handoff's `top_reasons` worded again in the reader's
# language from the agreement version it was scored under (the scoring app owns the words of its
# rules; the handoff keeps rule ids, points and the words of the moment as a fallback).
word_reasons = Hook("handoff.word_reasons")
