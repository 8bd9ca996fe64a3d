"""The Python API: a vault and its index, asked the same questions the CLI, the TUI and the MCP server ask.

    import notelink

    with notelink.open("~/notes") as vault:           # the index `notelink index ~/notes` built
        for r in vault.related("Sourdough starter", top=5):
            print(f"{r.score:.3f}  {r.title}  because {', '.join(r.because)}")

Every method reads the live generation: when a watcher (or `notelink index`) switches in a new one, the
next call uses it. Names of notes are what a `[[link]]` would say (title, alias, file name) or a path
(relative to the vault, or to the file itself); a path given exactly as the note's picks it among notes
whose names differ only by case or Unicode normalisation. A `NoteInfo` that `find` gave names its note
itself (looked up again by its exact path): a note found once is the note every question is about.
Errors are `notelink.errors` exceptions, all `NotelinkError`: `VaultError` (no such vault), `IndexMissing`
(never indexed), `IndexFormatError` (damaged or too old: rebuild), `NotFound` (unknown note or word;
`.suggestions` has close matches).
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import threading
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notelink import arguments
from notelink.arguments import NoteName
from notelink.configfile import UserConfig
from notelink.errors import ArgumentError, IndexFormatError, IndexMissing, NotFound, with_vault
from notelink.index.arrays import array_sizes
from notelink.index.owner import other_vault, other_vaults_index
from notelink.index.report import Progress
from notelink.index.store import current_generation, generation_key
from notelink.noindex import building, indexed_above, no_index, parse_kept
from notelink.notes.ignore import WORKSPACE_FILE, Ignore
from notelink.notes.vault import check_vault, files_named, path_in_vault
from notelink.query.answers import Concept, Neighbour, NoteInfo, Related, Scored, SimilarWords
from notelink.query.index import Index
from notelink.query.lookup import ambiguous
from notelink.query.words import RELIABLE_COUNT
from notelink.write.edits import Edits

if TYPE_CHECKING:
    from notelink.query.health import Health
    from notelink.query.notetext import TRUNCATED_MARK, Link, Note
    from notelink.query.results import Because, Hit
    from notelink.query.search import Searcher, SearchResults
    from notelink.query.snippets import Snippet
    from notelink.query.unlinked import Mention, Mentions
    from notelink.status import Status

_ANSWERS = {"Health": "query.health", "TRUNCATED_MARK": "query.notetext", "Link": "query.notetext",
            "Note": "query.notetext", "SearchResults": "query.search", "Hit": "query.results",
            "Because": "query.results", "Snippet": "query.snippets", "Mention": "query.unlinked",
            "Mentions": "query.unlinked", "Status": "status"}
"""The answers of the questions a command asks one at a time, imported when first named: `related` needs
neither search's tables nor the health report's (`import notelink.api` was 1.2 s of a query on 10k notes)."""


def __getattr__(name: str) -> Any:
    """`notelink.api.Health` and the other answers of `_ANSWERS`, from their modules."""
    if name not in _ANSWERS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"notelink.{_ANSWERS[name]}"), name)


__all__ = ["RELIABLE_COUNT", "TRUNCATED_MARK", "Because", "Concept", "Edits", "Health", "Hit", "Link",
           "Mention", "Mentions", "Neighbour", "Note", "NoteInfo", "Related", "Scored", "SearchResults",
           "SimilarWords", "Snippet", "Status", "Vault", "open_vault"]


class Vault:
    """A vault and its index, asked questions (`related`, `concepts`, `similar`, `similar_words`, `search`,
    `note`, `find`, `also_named`, `mentions`, `health`, `status`) and, when asked to, writing links."""

    def __init__(self, path: os.PathLike[str] | str, index_dir: os.PathLike[str] | str | None = None) -> None:
        """The vault at `path` (a folder, or a name from the config file's `[vaults]`), its index in
        `index_dir` (default: where `notelink index` puts it, the config file's `[index] index_root`
        included). VaultError when the folder cannot be used; IndexMissing when it was never indexed."""
        config = self._config = UserConfig.load()
        named = os.path.expanduser(arguments.folder("vault", path))
        self.path = check_vault(Path(config.vault(named)).expanduser())
        usual = config.index_dir(self.path)
        given_dir = os.path.expanduser(arguments.folder("index_dir", index_dir)) if index_dir else None
        self.index_dir = Path(given_dir) if given_dir else usual
        self._other_dir = None if self.index_dir == usual else self.index_dir  # (said when there is no index)
        self._named = (named, given_dir if self._other_dir else None)
        """The vault and the index folder as the caller named them, for the commands a refusal suggests."""
        self._index: Index | None = None
        self._sizes: dict[str, int] = {}  # its arrays' sizes when opened (`store.array_sizes`)
        self._searcher: Searcher | None = None
        self._lock = threading.Lock()
        _ = self.index  # fail now, not at the first question, when there is no index

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._index is not None:
                self._index.close()
                self._index = None

    @property
    def index(self) -> Index:
        """The live generation, opened again when a new one was switched in since the last call (told apart
        by more than its path: a rebuilt index starts again at gen-000001). IndexFormatError (damaged, or
        another format) names this vault in the command that rebuilds it."""
        try:
            return self._live()
        except IndexFormatError as exc:
            raise self._of_vault(exc) from exc

    def _of_vault(self, exc: IndexFormatError) -> IndexFormatError:
        """`exc`, its suggested commands completed with this vault (and --index-dir, when not the usual)."""
        return exc.of_vault(str(self.path), str(self._other_dir) if self._other_dir else None)

    def _live(self) -> Index:
        gen = current_generation(self.index_dir)
        if gen is None:
            above = None if self._other_dir else indexed_above(self.path, self._config)
            kept, now = parse_kept(self.index_dir), building(self.index_dir)
            raise IndexMissing(no_index(self.path, self._other_dir, above=above, kept=kept, building=now,
                                        looked_in=self.index_dir))
        with self._lock:
            if self._index is not None and array_sizes(gen) != self._sizes:
                self._index = None  # an array changed size in place since it was mapped: checked again
            if self._index is None or self._index.key != generation_key(gen):
                index = Index(gen, reading=self._config.related(), vault=self.path)  # (raises
                # IndexDamaged, saying what, for arrays cut short)
                if (built := other_vault(index.meta, self.path)) is not None:
                    index.close()
                    raise other_vaults_index(self.index_dir, built, self.path)
                self._index, self._sizes = index, array_sizes(gen)  # the old one is closed when its
            return self._index  # last user lets go of it

    # -- naming notes ------------------------------------------------------------------------
    def find(self, name: NoteName) -> NoteInfo:
        """The note `name` means: a title, alias or file name (as a `[[link]]` resolves it), a path in the
        vault, or a path to the file itself (absolute or from the current folder; also as a `Path`). A note
        the vault's exclude patterns leave out is said to be left out, not unknown; an empty name is an
        ArgumentError."""
        return self._find(self.index, name)

    def _find(self, index: Index, name: NoteName | NoteInfo) -> NoteInfo:
        """`find` in one generation (a question asks it once); a `NoteInfo` is looked up by its exact path
        (not found again by name: that could be another note whose path differs only by case)."""
        if isinstance(name, NoteInfo):
            if (same := index.by_path.get(name.path)) is None:
                raise NotFound("note", name.path, [], f"{name.path} is no longer in the index: it was "
                               "removed or renamed since it was found (a newer index is in use)")
            return same
        typed = arguments.note_name(name)
        query = path_in_vault(self.path, typed)
        try:
            return index.find_note(query)
        except NotFound as exc:
            if (why := self._left_out(index, query)) is None:
                raise self._for_vault(exc) from None
            raise NotFound("note", typed, exc.suggestions, why) from None

    def _for_vault(self, exc: NotFound) -> NotFound:
        """`exc`, the commands it suggests (`notelink index` to add a new note, to catch up with a moved one)
        completed with this vault as the caller named it, as the CLI's and the MCP server's are."""
        text = with_vault(str(exc), *self._named)
        return exc if text == str(exc) else NotFound("note", "", exc.suggestions, text)

    def _left_out(self, index: Index, name: str) -> str | None:
        """Why the vault's file that `name` names (a path, or a file name anywhere) is not in the index: the
        exclude patterns or ignore files leave it out. None when there is no such file (looked for only
        after a name was not found)."""
        want = name.removeprefix("./").casefold().removesuffix(".md") + ".md"
        exclude = index.meta.get("config", {}).get("index", {}).get("exclude") or ()
        ignore = Ignore(self.path, tuple(exclude))
        for rel in files_named(self.path, want):
            if (by := ignore.left_out_by(rel)) is not None:
                return f"{rel} is not in the index: {_left_out_because(rel, by)}"
        return None

    def named(self, name: NoteName) -> tuple[NoteInfo, dict[str, Any]]:
        """`find`, and what an answer about the note says when other notes have that name too (the one
        picked may not be the one meant): `also_named` (their paths, the first 50) and `warning`
        (`ambiguous`); `warning` alone when `name` named it only with accents aside (`Nuit a Valensole`);
        empty when `name` names one note as typed. Every face's `--json` and tools add these."""
        found = self.find(name)
        read_as = self.index.note_read_as(path_in_vault(self.path, arguments.note_name(name)), found)
        said = [w for w in (read_as, self._gone(found)) if w]
        if not (others := self.also_named(name, found)):
            return found, {"warning": "; ".join(said)} if said else {}
        warning = ambiguous(arguments.note_name(name), found.path, others)
        return found, {"also_named": others[:50], "warning": "; ".join([*said, warning])}

    def _gone(self, note: NoteInfo) -> str:
        """What to say of a note whose file is gone from the vault since the index was built (no watcher
        ran since it was deleted or moved): the answers about it are the index's; "" while it is there."""
        if (self.path / note.path).is_file():
            return ""
        return (f"{note.path} is gone from the vault since the index was built (deleted or moved): "
                "answered from the index; `notelink index` brings it up to date")

    def also_named(self, name: NoteName, note: NoteInfo) -> list[str]:
        """Paths of the other notes `name` could mean too, `note` being the one `find` gave (empty when
        `name` is the note's exact path, or a path to its file)."""
        return self.index.also_named(path_in_vault(self.path, arguments.note_name(name)), note)

    # -- questions -----------------------------------------------------------------------------
    def related(self, note: NoteName | NoteInfo, top: int = 10, unlinked: bool = False,
                min_score: float | None = None) -> list[Related]:
        """The notes most like `note` (cosine of note vectors), best first, with `because`; `unlinked`
        leaves out notes already linked either way, `min_score` those scoring below it (as an export's
        `--min-score`: a number of at most 1; None keeps all)."""
        arguments.at_least_one("top", top)
        arguments.flag("unlinked", unlinked)
        lowest = arguments.min_score(min_score)
        index = self.index
        return index.related(self._find(index, note), top, unlinked, lowest)

    def concepts(self, note: NoteName | NoteInfo, top: int = 10) -> list[Concept]:
        """The vault words that characterise `note` most (its own words and their CBOW neighbours); each
        `rare` when seen only once or twice (`ConceptsConfig.rare_below`: often filler or a name)."""
        arguments.at_least_one("top", top)
        index = self.index
        return index.concepts(self._find(index, note), top)

    def empty(self, note: NoteName | NoteInfo) -> bool:
        """Whether `note` has no text of its own but its title: its related notes and concepts come from
        its title alone (its related notes are all weak)."""
        index = self.index
        return self._find(index, note).id in index.empty

    def why_none(self, note: NoteName | NoteInfo, question: str = "related", unlinked: bool = False,
                 min_score: float | None = None) -> str:
        """Why `related(note, unlinked=unlinked, min_score=min_score)` (or, `question="concepts"`,
        `concepts(note)`) is empty: the only note, no word learned, nothing shared, none scoring
        `min_score`...; "" when it is not empty."""
        from notelink.query.reasons import no_concepts, no_related

        if question not in ("related", "concepts"):
            raise ArgumentError(f'question must be "related" or "concepts", not {question!r}')
        arguments.flag("unlinked", unlinked)
        lowest = arguments.min_score(min_score)
        index = self.index
        found = self._find(index, note)
        why = (no_concepts(index, found) if question == "concepts"
               else no_related(index, found, unlinked, lowest))
        return why.full

    def search(self, query: str, top: int = 10, snippets: bool = True, syntax: bool = True,
               exclude: Collection[str] = (), prefix: bool = False) -> SearchResults:
        """Notes for `query`, by meaning in the vault's own words, best first, each with a snippet (the
        best-matching passage, matched words as spans) and `because` (query words found, words the CBOW
        model brought in: `kubernetes ← k8s`); `unknown` lists query words in no note's
        searched text (code, URLs and front matter are not searched: `unknown_reason`), `suggestions` the
        close words the vault has for them (a typed query's), `ignored` its stop words and numbers.
        `syntax`: quoted phrases, `#tag` and `path:` filter (False: the text is a draft, searched as it
        is); `exclude`: paths never returned (the note being written); `prefix`: the query is being typed,
        so its last word, in no note, stands for the vault's words it starts (`dou`: dough). A blank query
        is an ArgumentError."""
        arguments.at_least_one("top", top)
        if not arguments.as_text("query", query).strip():
            raise ArgumentError("query is empty: give words to search for")
        for name, value in (("snippets", snippets), ("syntax", syntax), ("prefix", prefix)):
            arguments.flag(name, value)
        paths = arguments.note_paths("exclude", exclude)
        from notelink.query.search import Searcher

        index = self.index
        with self._lock:
            if self._searcher is None or self._searcher.index is not index:
                try:
                    self._searcher = Searcher(index, vault=self.path)
                except IndexFormatError as exc:  # (an index without search data)
                    raise self._of_vault(exc) from exc
            searcher = self._searcher
        return searcher.search(query, top, syntax=syntax, snippets=snippets, exclude=paths, prefix=prefix)

    def similar(self, word: str, top: int = 10) -> list[Neighbour]:
        """The words this vault uses most like `word` (cosine of CBOW word vectors), each with its count;
        none for a word too rare to say (`similar_words` says so)."""
        arguments.at_least_one("top", top)
        return self.index.similar(arguments.one_word(word), top)

    def similar_words(self, word: str, top: int = 10) -> SimilarWords:
        """`similar` with what it knows of the word: its count, whether it is frequent enough
        (`RELIABLE_COUNT`) to have reliable neighbours, and the language they were taken from."""
        arguments.at_least_one("top", top)
        return self.index.similar_words(arguments.one_word(word), top)

    def note(self, name: NoteName | NoteInfo, max_chars: int | None = None,
             max_items: int | None = None) -> Note:
        """A note's stored names, tags, headings and links, and its text as on disk now (cut at
        `max_chars`; each list at `max_items`, `counts` having their whole lengths); `changed_since_index`
        when the file changed since the build (the two may then disagree). Only notes of the index are
        read, and only inside the vault."""
        for what, most in (("max_chars", max_chars), ("max_items", max_items)):
            if most is not None:
                arguments.at_least_one(what, most)
        from notelink.query.notetext import note_now

        index = self.index
        found = self._find(index, name)
        try:
            return note_now(index, self.path, found, max_chars, max_items)
        except NotFound as exc:  # (its file deleted or moved since the index was built)
            raise self._for_vault(exc) from None

    def mentions(self, note: NoteName | NoteInfo) -> Mentions:
        """Unlinked mentions: where other notes name `note` without linking it (incoming), and where it names
        other notes without linking them (outgoing), with path, line, column and the line's text."""
        from notelink.query.unlinked import unlinked_mentions

        index = self.index
        found = unlinked_mentions(index, self.path, self._find(index, note))
        found.unreadable = with_vault(found.unreadable, *self._named)
        return found

    def link(self, note: NoteName | NoteInfo, target: NoteName | NoteInfo, mention: int | None = None,
             append: bool = False, heading: str | None = None, write: bool = False,
             expect: str | None = None) -> Edits:
        """Links `note` to `target`: its `mention`-th unlinked mention of `target` wrapped in a link, or
        (`append`, or no mention at all) a link added under `heading` (None: a "see also" heading the note
        has, else "See also" in the note's language where notelink knows it). Without `write`, only the diff;
        with it, the note is written (its bytes saved first for `undo_links`). `expect`: a preview's
        `Edits.preview`; the note is then written only if it and the change are still exactly that (else
        refused)."""
        from notelink.write import linker

        arguments.link_options(mention, append, write, expect)
        heading = None if heading is None else arguments.heading(heading)
        index = self.index
        a, b = (self._find(index, name) for name in (note, target))
        plan = linker.expecting(linker.plan_link(index, self.path, a, b, mention, append, heading), expect)
        report = linker.write(plan, self.index_dir, f"link {a.path} {b.path}") if write else None
        return self._completed(Edits.of(plan, report))

    def undo_links(self, every: bool = False, write: bool = False, expect: str | None = None) -> Edits:
        """Puts back the notes of the last `link(write=True)` (`every`: of all), byte for byte, where nobody
        edited them since; without `write`, only the diff. `expect`: as for `link`."""
        from notelink.write import linker, undo

        arguments.flag("every", every)
        arguments.link_options(None, False, write, expect)
        plan, entries = undo.plan_undo(self.path, self.index_dir, every)
        plan = linker.expecting(plan, expect)
        edits = self._completed(Edits.of(plan, undo.undo(plan, entries) if write else None))
        if entries:
            return edits
        return dataclasses.replace(edits, nothing="nothing to undo: no link written by notelink (link with "
                                                  "write=True, `notelink link --write`) is left to put back")

    def _completed(self, edits: Edits) -> Edits:
        """`edits`, the commands its refusals suggest (`notelink link VAULT --undo --forget --write`)
        completed with this vault (and --index-dir, when not the usual) as the caller named them: the
        vault as typed, as `notelink link`'s own lines name it."""
        refused = [(path, with_vault(why, *self._named)) for path, why in edits.refused]
        return dataclasses.replace(edits, refused=refused)

    def health(self, limit: int = 20, progress: Progress | None = None) -> Health:
        """Dead links, orphans, one-way links, stale links, near-duplicates and tag suggestions, each list
        cut at `limit` (`counts` has the totals). Tag suggestions in a tagged vault rank every note against
        every other (seconds at 10k notes, minutes at 100k): `progress` is told how far that pass is
        (`IndexEvent("related", done, total)`, at most ten times a second)."""
        from notelink.query.health import health

        arguments.at_least_one("limit", limit)
        if progress is not None and not callable(progress):
            raise ArgumentError(f"progress must be a function of an IndexEvent, or None, not "
                                f"{type(progress).__name__}")
        return health(self.index, limit, progress)

    def status(self, files: bool = False) -> Status:
        """What the index holds, what was skipped and why, the watcher; `files`: every file's state.
        VaultError when the vault's folder is gone since it was opened (not every note said gone), as
        `notelink status` says."""
        from notelink.status import status_of

        arguments.flag("files", files)
        return status_of(self.index, check_vault(self.path), files)


def open_vault(path: os.PathLike[str] | str, index_dir: os.PathLike[str] | str | None = None) -> Vault:
    """`notelink.open`: the vault at `path` with its index (see `Vault`)."""
    return Vault(path, index_dir)


def _left_out_because(rel: str, by: str) -> str:
    """Why `Ignore.left_out_by` said `by` of `rel`, as the end of a sentence: a dot-folder or dot-file is
    named as such (no pattern to look for), the rest is left out by the patterns or ignore files."""
    *folders, name = rel.split("/")
    if dotted := next((f for f in folders if f.startswith(".")), None):
        return f"it is in a dot-folder ({rel[:rel.index(dotted)]}{dotted}/), which notelink never indexes"
    if name.startswith("."):
        return "it is a dot-file, which notelink never indexes"
    if by == WORKSPACE_FILE:
        return f"it is outside the vaults that the Dendron workspace's {WORKSPACE_FILE} lists"
    return ("it is left out by the exclude patterns (--exclude, config [index] exclude) or a .gitignore / "
            ".notelinkignore")
