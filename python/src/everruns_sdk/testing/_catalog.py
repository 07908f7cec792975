"""Built-in catalog data: models, capabilities, harness and guardrail examples."""

from __future__ import annotations

from typing import Any

__all__ = ["CAPABILITIES", "GUARDRAIL_EXAMPLES", "HARNESS_EXAMPLES", "MODELS"]

JSON = dict[str, Any]
_T0 = "2025-01-01T00:00:00.000Z"


def _model(
    n: int,
    model_id: str,
    display: str,
    provider: str,
    provider_type: str,
    vendor: str,
    *,
    favorite: bool = False,
    reasoning: bool = False,
) -> JSON:
    caps = ["text", "tools"] + (["thinking"] if reasoning else [])
    return {
        "id": f"model_{n:032x}",
        "provider_id": f"provider_{n:032x}",
        "model_id": model_id,
        "display_name": display,
        "capabilities": caps,
        "is_favorite": favorite,
        "enabled": True,
        "source": "predefined",
        "created_at": _T0,
        "updated_at": _T0,
        "provider_name": provider,
        "provider_type": provider_type,
        "healthy": True,
        "model_vendor": vendor,
        "profile": {
            "name": display,
            "family": model_id.split("-")[0],
            "attachment": False,
            "reasoning": reasoning,
            "temperature": True,
            "tool_call": True,
            "structured_output": True,
            "open_weights": vendor == "llmsim",
            "limits": {"context": 200_000, "output": 16_000},
            "cost": {"input": 0.0, "output": 0.0},
            "modalities": {"input": ["text"], "output": ["text"]},
        },
    }


MODELS: list[JSON] = [
    _model(1, "llmsim", "LLM Simulator", "LLM Simulator", "llmsim", "llmsim", favorite=True),
    _model(2, "gpt-4o", "GPT-4o", "OpenAI", "openai", "openai"),
    _model(
        3,
        "claude-sonnet-4-5",
        "Claude Sonnet 4.5",
        "Anthropic",
        "anthropic",
        "anthropic",
        reasoning=True,
    ),
]


def _capability(
    cid: str,
    name: str,
    description: str,
    category: str,
    tools: list[str],
    *,
    guardrail: bool = False,
    risk: str = "low",
) -> JSON:
    return {
        "id": cid,
        "name": name,
        "description": description,
        "status": "active",
        "category": category,
        "config_schema": {"type": "object"},
        "config_ui_schema": {},
        "dependencies": [],
        "docs_slug": cid,
        "features": [],
        "icon": None,
        "is_guardrail": guardrail,
        "is_mcp": False,
        "is_skill": False,
        "localizations": {},
        "risk_level": risk,
        "system_prompt": None,
        "tool_definitions": [{"name": t, "description": f"{t} tool"} for t in tools],
    }


CAPABILITIES: list[JSON] = [
    _capability(
        "session_file_system",
        "Session File System",
        "Read, write, edit, list, grep, delete, and stat files in the session workspace.",
        "filesystem",
        ["read_file", "write_file", "list_directory", "grep_files", "delete_file", "stat_file"],
    ),
    _capability(
        "current_time",
        "Current Time",
        "Tells the current date and time.",
        "utility",
        ["get_current_time"],
    ),
    _capability(
        "web_fetch", "Web Fetch", "Fetches web pages.", "web", ["web_fetch"], risk="medium"
    ),
    _capability(
        "guardrails",
        "Guardrails",
        "Checks model output and tool use against configured rules.",
        "safety",
        [],
        guardrail=True,
    ),
]

HARNESS_EXAMPLES: list[JSON] = [
    {
        "name": "generic",
        "display_name": "Generic",
        "description": "A general-purpose assistant harness.",
        "tags": ["general"],
        "capabilities": [],
        "dev_only": False,
        "parent_name": None,
    },
    {
        "name": "coding",
        "display_name": "Coding",
        "description": "A harness with the session file system for coding tasks.",
        "tags": ["engineering"],
        "capabilities": [{"ref": "session_file_system"}],
        "dev_only": False,
        "parent_name": "generic",
    },
]

GUARDRAIL_EXAMPLES: list[JSON] = [
    {
        "name": "block-secrets",
        "display_name": "Block secrets",
        "description": "Blocks output that looks like an API key.",
        "tags": ["security"],
        "check_types": ["regex"],
        "stages": ["output", "tool_output"],
        "data_egress": "none",
        "config": {
            "checks": [
                {
                    "id": "api-key",
                    "type": "regex",
                    "pattern": "(sk|evr)_[A-Za-z0-9_]{8,}",
                    "action": "block",
                    "stages": ["output", "tool_output"],
                    "replacement": "[redacted]",
                }
            ]
        },
    },
    {
        "name": "log-profanity",
        "display_name": "Log profanity",
        "description": "Logs output containing listed words.",
        "tags": ["moderation"],
        "check_types": ["keyword"],
        "stages": ["output"],
        "data_egress": "none",
        "config": {
            "checks": [{"id": "words", "type": "keyword", "patterns": ["darn"], "action": "log"}]
        },
    },
]
