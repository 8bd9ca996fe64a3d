"""Link resolution per dialect: how many of a vault's links to notes resolve, read in its detected dialect
and, for comparison, read as Obsidian reads links (what notelink did before dialects).

    python benchmarks/dialects.py [VAULT ...]

Without arguments: the dialect test vaults (tests/vaults/, written from each app's documentation) and the
shared vaults (dendron-site, obsidian-help/en, the whole obsidian-help). No training: notes are parsed and
their links resolved as `notelink index` does (`notelink status` shows the same numbers for an index).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from notelink.config import DialectConfig, IndexConfig
from notelink.notes.dialect import detect
from notelink.notes.links import Resolver, link_report
from notelink.notes.records import read_vault

ROOT = Path(__file__).resolve().parents[1]
SHARED = next((p for p in (ROOT.parent / "shared", Path("/work/shared")) if p.exists()),
              ROOT.parent / "shared")
DEFAULT = [*(ROOT / "tests" / "vaults" / name for name in ("dendron", "logseq", "foam", "zk", "markdown")),
           SHARED / "vaults" / "dendron-site" / "vault", SHARED / "vaults" / "obsidian-help" / "en",
           SHARED / "vaults" / "obsidian-help"]


def report(vault: Path, dialect: DialectConfig) -> dict:  # type: ignore[type-arg]
    """`links.link_report` of the vault read in `dialect`."""
    cfg = IndexConfig(dialect=dialect)
    records, _, _ = read_vault(vault, cfg, {})
    resolver = Resolver(((r.path, r.title, r.aliases) for r in records), dialect)
    ids = {r.path: i for i, r in enumerate(records)}
    rows = ((ln.target, ln.kind, ids.get(resolver.resolve(ln.target, r.path, ln.kind) or ""))
            for r in records for ln in r.links)
    return link_report(rows, dialect.name, top=5) | {"notes": len(records)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vaults", nargs="*", type=Path)
    vaults = [v for v in (parser.parse_args().vaults or DEFAULT) if v.is_dir()]
    print("| vault | notes | dialect | links to notes | resolved | in Obsidian's dialect | attachments | "
          "tags with their note | top unresolved |")
    print("|---|---|---|---|---|---|---|---|---|")
    for vault in vaults:
        dialect = detect(vault)
        now, before = report(vault, dialect), report(vault, DialectConfig("obsidian"))
        top = ", ".join(f"{u['target']} ×{u['count']}" for u in now["top_unresolved"][:3])
        print(f"| {vault.name if vault.name != 'vault' else vault.parent.name} | {now['notes']:,} | "
              f"{dialect.name} | {now['found']:,} | {now['resolved']:,} ({now['rate']:.1%}) | "
              f"{before['resolved']:,}/{before['found']:,} ({before['rate']:.1%}) | {now['attachments']:,} | "
              f"{now['tags']['resolved']:,}/{now['tags']['found']:,} | {top} |", flush=True)


if __name__ == "__main__":
    main()
