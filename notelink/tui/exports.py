"""The palette's exports: every format of `notelink export`, written with the same functions.

The in-note block is offered as what `notelink export --format block` prints without `--write`: a diff of the
blocks it would write, saved to a file; the app never changes a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from notelink.config import ExportConfig
from notelink.query.index import Index


@dataclass(frozen=True)
class Export:
    title: str  # the palette's entry (after "Notes › ")
    question: str  # the path prompt's question
    suffix: str  # the default file name, after the vault's name
    hint: str = ""


EXPORTS = {
    "json": Export("Export related notes: JSON", "Export every note's related notes and concepts as JSON",
                   "related.json"),
    "csv": Export("Export related notes: CSV", "Export related notes as CSV (source, target, score, rank, "
                  "linked, weak)", "related.csv"),
    "graphml": Export("Export related notes: GraphML", "Export related notes as a GraphML graph (Gephi, yEd)",
                      "related.graphml"),
    "markdown": Export("Export related notes: Markdown", "Export related notes as one Markdown note",
                       "related.md", "Keep it outside the vault, or its links count as yours."),
    "word2vec": Export("Export word vectors: word2vec", "Export the learned word vectors (word2vec text "
                       "format)", "vectors.txt"),
    "block": Export("Export related-notes blocks: diff", "Save the related-notes blocks notelink would add "
                    "to your notes, as a diff", "blocks.diff", "Nothing in your notes changes; `notelink "
                    "export --format block --write` applies it."),
}
"""Format → its palette entry and prompt, in the palette's order."""


def export_path(typed: str, folder: Path) -> Path:
    """Where a path typed in the export dialog points: `~` expanded, a relative one taken from `folder`
    (the default's, beside the vault; not the folder the app was started from)."""
    path = Path(typed).expanduser()
    return path if path.is_absolute() else folder / path


def refusal(vault: Path, fmt: str, folder: Path, typed: str) -> str | None:
    """Why the export dialog does not take the path `typed` for `fmt`, or None: a note of the vault is never
    replaced; a folder not there fails (said while the path typed can be corrected); a Markdown export inside
    the vault would be indexed as a note, its hundreds of links counted as the user's (asked before writing,
    not said after it)."""
    from notelink.write.export import inside_vault

    path = export_path(typed, folder)
    if why := over_a_note(path, vault):
        return f"Not there: {why}."
    if missing := _missing_folder(path):
        return f"Not there: {missing} is no folder yet; choose a file in an existing folder."
    why = inside_vault(path, vault, fmt)
    return f"Not there: {path} {why}." if why else None


def _missing_folder(path: Path) -> Path | None:
    """The first folder of `path` that is not there (the export would fail after the dialog closed, the path
    typed lost), or None."""
    missing = None
    for parent in path.parents:
        if parent.is_dir():
            return missing
        missing = parent
    return missing


def over_a_note(path: Path, vault: Path) -> str | None:
    """Why an export is not written to `path`, when that is a note of the vault, in the app's words (the
    CLI's refusal names its `-o`)."""
    from notelink.write.outfile import is_vault_note

    if not is_vault_note(path, vault):
        return None
    return (f"{path} is a note of the vault, and an export never replaces a note; choose a file outside the "
            "vault, or a new name")


def write_export(index: Index, vault: Path, fmt: str, path: Path, cfg: ExportConfig) -> str:
    """Writes one export to `path` (whole or not at all) of the related notes `cfg` lists (the config file's
    `[export]`, as `notelink export` reads it) and says what was written; raises OutputError or OSError when
    the file cannot be written (a note of the vault, never)."""
    from notelink.errors import OutputError
    from notelink.write import export, notewriter
    from notelink.write.outfile import output_file

    if why := over_a_note(path, vault):
        raise OutputError(f"not written: {why}")
    if fmt == "block":
        plan = notewriter.plan_blocks(index, vault, cfg)
        with output_file(str(path), newline="", vault=vault) as out:
            out.write("".join(notewriter.unified_diff(c) for c in plan.changes))
        return f"Saved the blocks for {len(plan.changes):,} notes as a diff to {path} (no note changed)"
    with output_file(str(path), vault=vault) as out:
        export.write_format(index, fmt, cfg, out)
    return f"Exported {'word vectors' if fmt == 'word2vec' else 'related notes'} to {path}"
