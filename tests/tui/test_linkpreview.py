"""The link preview's diff: removed lines red, added green, the part of a line that changed marked."""

from notelink.tui.linkpreview import diff_text


def test_diff_text_marks_what_changed_in_a_line() -> None:
    text = diff_text("--- a/n.md\n+++ b/n.md\n@@ -1 +1 @@\n-Seed compost here\n+Seed [[compost]] here\n")
    assert text.plain.splitlines()[-2:] == ["-Seed compost here", "+Seed [[compost]] here"]
    marked = [text.plain[s.start:s.end] for s in text.spans if "reverse" in str(s.style)]
    assert marked == ["compost", "[[compost]]"]
