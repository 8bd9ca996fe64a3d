"""The MCP tools' arguments: their types, strict (`"3"` is no number, `"yes"` no boolean, as JSON has them
apart), and their errors said plainly: which argument, and what it must be, instead of the validation
library's report; an argument a tool does not take is an error too (the SDK would drop it unsaid).
"""

from __future__ import annotations

import inspect
import json
import typing
from collections.abc import Callable
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, ToolAnnotations
from pydantic import Field, ValidationError
from pydantic.fields import FieldInfo

MAX_LIMIT = 50
MAX_CHARS = 200_000
MAX_ITEMS = 500  # read_note's lists (each entry cut at notetext.ITEM_CHARS): at most 4 x 500 x 200 characters

# the bounds are in the schema for clients, and checked by the tools (`server._bounded`): an error then reads
# as the CLI's, not as a validation library's
Limit = Annotated[int, Field(strict=True, description=f"how many results (1-{MAX_LIMIT})",
                             json_schema_extra={"minimum": 1, "maximum": MAX_LIMIT})]
MaxChars = Annotated[int, Field(strict=True,
                                description=f"cut the text at this many characters (1-{MAX_CHARS})",
                                json_schema_extra={"minimum": 1, "maximum": MAX_CHARS})]
MaxItems = Annotated[int, Field(strict=True,
                                description=f"list at most this many aliases, tags, headings and links "
                                            f"each (1-{MAX_ITEMS}); counts has every list's whole length",
                                json_schema_extra={"minimum": 1, "maximum": MAX_ITEMS})]
NoteName = Annotated[str, Field(strict=True,
                                description="a note's title, alias, file name or vault-relative path")]
Query = Annotated[str, Field(strict=True, description='what to look for, in words: "a phrase" in quotes, '
                                                     "#tag and path:folder filter, -word leaves out the "
                                                     "notes that have the word")]
Draft = Annotated[bool, Field(strict=True, description="the query is a paragraph being written, searched "
                                                       "as it is (no quotes, #tag or path: filters); default "
                                                       "false")]
Unlinked = Annotated[bool, Field(strict=True, description="only notes not linked with it yet (either way); "
                                                          "default false")]
Word = Annotated[str, Field(strict=True, description="one word, as the vault's notes write it")]
MinScore = Annotated[float | None, Field(strict=True, description="leave out related notes scoring below "
                                                                  "this cosine (at most 1), as an export's "
                                                                  "--min-score; default null: none left out",
                                         json_schema_extra={"maximum": 1})]

_WHAT = {int: "a whole number", bool: "true or false", str: "text", float: "a number"}


class PlainServer(MCPServer):
    """The SDK's server, whose tools' argument errors name the argument and what it must be."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._takes: dict[str, dict[str, tuple[str, str]]] = {}  # tool -> argument -> (what, description)

    def add_plain_tool(self, tool: Callable[..., CallToolResult], annotations: ToolAnnotations,
                       description: str | None = None) -> None:
        """Registers `tool` under its name (described by its docstring, else `description`), and what each
        of its arguments must be."""
        self.add_tool(tool, name=tool.__name__, annotations=annotations, description=description)
        self._takes[tool.__name__] = _kinds(tool)

    async def call_tool(self, name: str, arguments: dict[str, Any], context: Any = None) -> Any:
        takes = self._takes.get(name)
        if takes is not None and (unknown := sorted(set(arguments) - set(takes))):
            takes_these = f"it takes: {', '.join(takes)}" if takes else "it takes none"
            raise ToolError(f"{name} takes no argument {unknown[0]!r}; {takes_these}")
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            if takes is None or not isinstance(exc.__cause__, ValidationError):
                raise
            raise ToolError(plain(exc.__cause__, takes)) from exc.__cause__


def plain(exc: ValidationError, takes: dict[str, tuple[str, str]]) -> str:
    """The arguments `exc` found wrong, one sentence each: `limit must be a whole number, not "3"`."""
    said = []
    for error in exc.errors():
        name = ".".join(str(part) for part in error["loc"])
        what, about = takes.get(str(error["loc"][0]), ("", ""))
        if error["type"] == "missing":
            said.append(f"{name} is missing: it must be {what}" + (f" ({about})" if about else ""))
        else:
            said.append(f"{name} must be {what or error['msg']}, not {_shown(error.get('input'))}")
    return "; ".join(said)


def _kinds(tool: Callable[..., Any]) -> dict[str, tuple[str, str]]:
    """Each argument of `tool`: what it must be (`a whole number`) and its description."""
    hints = typing.get_type_hints(tool, include_extras=True)
    out = {}
    for name in inspect.signature(tool).parameters:
        hint = hints[name]
        base, *extras = typing.get_args(hint) if typing.get_origin(hint) is Annotated else (hint,)
        about = next((x.description for x in extras if isinstance(x, FieldInfo) and x.description), "")
        kinds = [k for k in typing.get_args(base) if k is not type(None)] or [base]  # (`float | None`)
        what = _WHAT.get(kinds[0], str(kinds[0])) + (" or null" if kinds != [base] else "")
        out[name] = (what, about or "")
    return out


def _shown(value: Any) -> str:
    """A client's value as JSON writes it (`"3"`, `true`, `null`), cut short."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."
