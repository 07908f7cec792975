"""Client-side tools: JSON schema, description and validation from a function."""

from __future__ import annotations

import asyncio
import dataclasses
import enum
from typing import Annotated, Any, Literal, Optional

import pytest
from pydantic import BaseModel, Field

from everruns_sdk import Tool, tool
from everruns_sdk.lib._schema import parse_docstring, strip_titles
from everruns_sdk.lib.tools import ToolArgumentsError, to_json_value, tools_by_name
from everruns_sdk.types import ClientSideTool


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Point(BaseModel):
    x: int
    y: int = 0


def props(t: Tool[..., Any]) -> dict[str, Any]:
    properties: dict[str, Any] = t.parameters["properties"]
    return properties


def test_scalar_types() -> None:
    @tool
    def f(s: str, i: int, x: float, b: bool) -> None:
        """Scalars."""

    assert t_props_types(f) == {"s": "string", "i": "integer", "x": "number", "b": "boolean"}
    assert f.parameters["type"] == "object"
    assert f.parameters["required"] == ["s", "i", "x", "b"]
    assert f.parameters["additionalProperties"] is False


def t_props_types(t: Tool[..., Any]) -> dict[str, str]:
    return {name: schema["type"] for name, schema in props(t).items()}


def test_containers() -> None:
    @tool
    def f(tags: list[str], scores: dict[str, int], pair: tuple[int, int]) -> None: ...

    p = props(f)
    assert p["tags"] == {"type": "array", "items": {"type": "string"}}
    assert p["scores"] == {"type": "object", "additionalProperties": {"type": "integer"}}
    assert p["pair"]["type"] == "array"


def test_optional_literal_enum_and_models() -> None:
    @tool
    def f(
        maybe: Optional[int],  # noqa: UP045 - the typing spelling on purpose
        either: int | None,
        unit: Literal["c", "f"],
        color: Color,
        point: Point,
    ) -> None: ...

    p = props(f)
    null_int = {"anyOf": [{"type": "integer"}, {"type": "null"}]}
    assert p["maybe"] == null_int and p["either"] == null_int
    assert p["unit"] == {"type": "string", "enum": ["c", "f"]}
    defs = f.parameters["$defs"]
    assert p["color"] == {"$ref": "#/$defs/Color"}
    assert defs["Color"] == {"type": "string", "enum": ["red", "blue"]}
    assert p["point"] == {"$ref": "#/$defs/Point"}
    assert defs["Point"]["required"] == ["x"]
    # Optional without a default is still required, as in Python
    assert f.parameters["required"] == ["maybe", "either", "unit", "color", "point"]


def test_defaults_are_not_required_and_are_shown() -> None:
    @tool
    def f(city: str, unit: Literal["c", "f"] = "c", days: int = 1, note: str | None = None) -> None:
        """Forecast."""

    assert f.parameters["required"] == ["city"]
    assert props(f)["unit"]["default"] == "c"
    assert props(f)["days"]["default"] == 1
    assert props(f)["note"]["default"] is None


def test_no_parameters() -> None:
    @tool
    def now() -> str:
        """The time."""
        return "noon"

    assert now.parameters["properties"] == {}
    assert "required" not in now.parameters
    assert now.bind({}) == ([], {})


def test_description_is_the_first_docstring_paragraph() -> None:
    @tool
    def get_weather(city: str) -> dict[str, Any]:
        """Current weather
        in a city.

        Longer explanation that is not part of the description.

        Args:
            city: Name of the city.
        """
        return {}

    assert get_weather.name == "get_weather"
    assert get_weather.description == "Current weather in a city."
    assert props(get_weather)["city"]["description"] == "Name of the city."


def test_google_numpy_and_sphinx_parameter_descriptions() -> None:
    def google(a: int, b: str) -> None:
        """Google style.

        Args:
            a (int): First
                and more.
            b: Second.

        Returns:
            Nothing.
        """

    def numpy(a: int, b: str) -> None:
        """NumPy style.

        Parameters
        ----------
        a : int
            First
            and more.
        b : str
            Second.

        Returns
        -------
        None
        """

    def sphinx(a: int, b: str) -> None:
        """Sphinx style.

        :param int a: First
            and more.
        :param b: Second.
        :returns: nothing
        """

    for function in (google, numpy, sphinx):
        t = Tool(function)
        assert props(t)["a"]["description"] == "First and more.", function.__name__
        assert props(t)["b"]["description"] == "Second.", function.__name__
        assert t.description.endswith("style.")


def test_parse_docstring_edge_cases() -> None:
    assert parse_docstring(None) == ("", {})
    assert parse_docstring("One line.") == ("One line.", {})
    only_args = """
        Args:
            x: only args.
        """
    assert parse_docstring(only_args) == ("", {"x": "only args."})


def test_annotated_and_field_descriptions_win_over_the_docstring() -> None:
    @tool
    def f(
        a: Annotated[str, "from Annotated"],
        b: Annotated[int, Field(description="from Field in Annotated", ge=0)],
        c: str = Field("z", description="from Field default"),
        d: str = "plain",
    ) -> None:
        """Descriptions.

        Args:
            a: from the docstring
            b: from the docstring
            c: from the docstring
            d: from the docstring
        """

    p = props(f)
    assert p["a"]["description"] == "from Annotated"
    assert p["b"] == {"type": "integer", "minimum": 0, "description": "from Field in Annotated"}
    assert p["c"]["description"] == "from Field default" and p["c"]["default"] == "z"
    assert p["d"]["description"] == "from the docstring"
    assert f.parameters["required"] == ["a", "b"]
    assert f.bind({"a": "x", "b": 1}) == ([], {"a": "x", "b": 1, "c": "z", "d": "plain"})


def test_no_titles_in_the_schema_but_a_property_named_title_is_kept() -> None:
    @tool
    def f(title: str, point: Point) -> None: ...

    text = repr(f.parameters)
    assert "'title': {'type': 'string'}" in text
    assert "'title': 'Point'" not in text and "Arguments" not in text
    assert strip_titles({"title": "T", "default": {"title": "kept"}}) == {
        "default": {"title": "kept"}
    }


def test_parameter_names_that_clash_with_pydantic_are_fine() -> None:
    @tool
    def f(json: int, model_config: str, schema: bool = False) -> None: ...

    assert set(props(f)) == {"json", "model_config", "schema"}
    assert f.bind({"json": 1, "model_config": "m"}) == (
        [],
        {"json": 1, "model_config": "m", "schema": False},
    )


def test_explicit_name_description_and_parameters() -> None:
    schema = {"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]}

    @tool(name="search-docs", description="Search the docs.", parameters=schema)
    def search(q: str) -> list[str]:
        return [q]

    assert (search.name, search.description, search.parameters) == (
        "search-docs",
        "Search the docs.",
        schema,
    )
    assert search("x") == ["x"]  # still callable as the function
    assert search.bind({"q": "a"}) == ([], {"q": "a"})
    with pytest.raises(ToolArgumentsError):
        search.bind({"q": 3})


def test_kwargs_functions_need_explicit_parameters() -> None:
    def loose(**kwargs: Any) -> None: ...

    with pytest.raises(TypeError, match="kwargs"):
        Tool(loose)
    t = Tool(loose, parameters={"type": "object", "properties": {}}, description="Loose.")
    assert t.bind({"anything": 1}) == ([], {"anything": 1})


def test_bad_names_are_rejected() -> None:
    with pytest.raises(ValueError, match="tool name"):
        Tool(lambda: None)
    with pytest.raises(ValueError, match="two tools"):
        tools_by_name([Tool(lambda: None, name="a"), Tool(lambda: None, name="a")])


def test_definition_is_a_client_side_tool() -> None:
    @tool
    def get_weather(city: str, unit: Literal["c", "f"] = "c") -> dict[str, Any]:
        """Current weather in a city."""
        return {}

    definition = get_weather.definition()
    assert isinstance(definition, ClientSideTool)
    assert definition.to_dict() == {
        "type": "client_side",
        "name": "get_weather",
        "description": "Current weather in a city.",
        "parameters": get_weather.parameters,
    }


def test_validation_errors_are_readable() -> None:
    @tool
    def f(city: str, unit: Literal["c", "f"] = "c") -> None: ...

    with pytest.raises(ToolArgumentsError) as info:
        f.bind({"unit": "k", "extra": 1})
    text = str(info.value)
    assert "city: Field required" in text
    assert "unit: Input should be 'c' or 'f'" in text
    assert "extra" in text
    with pytest.raises(ToolArgumentsError, match="JSON object"):
        f.bind(["Paris"])  # type: ignore[arg-type]


def test_values_are_coerced_to_the_annotations() -> None:
    @tool
    def f(point: Point, color: Color, count: int) -> None: ...

    _, kwargs = f.bind({"point": {"x": 1}, "color": "blue", "count": "3"})
    assert kwargs == {"point": Point(x=1, y=0), "color": Color.BLUE, "count": 3}


def test_positional_only_parameters() -> None:
    def f(a: int, /, b: int) -> int:
        return a + b

    t = Tool(f)
    assert t.bind({"a": 1, "b": 2}) == ([1], {"b": 2})


def test_async_functions_and_callable_objects() -> None:
    @tool
    async def slow(x: int) -> int:
        """Async."""
        return x

    class Adder:
        def __call__(self, a: int, b: int = 2) -> int:
            """Add."""
            return a + b

    assert slow.is_async and asyncio.run(slow(3)) == 3
    adder = Tool(Adder(), name="adder")
    assert not adder.is_async
    assert adder.parameters["required"] == ["a"] and adder.description == "Add."


def test_results_become_json() -> None:
    @dataclasses.dataclass
    class Out:
        color: Color
        point: Point

    assert to_json_value(Out(Color.RED, Point(x=1))) == {
        "color": "red",
        "point": {"x": 1, "y": 0},
    }
    with pytest.raises(ValueError, match="not JSON serializable"):
        to_json_value(object())
