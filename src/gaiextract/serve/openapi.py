"""The OpenAPI 3.1 document of the service (``GET /openapi.json``).

The report's schema is the package's JSON Schema (``gaiextract.schema``), put in
as it is — OpenAPI 3.1 schemas are JSON Schema 2020-12 — so there is one
description of the canonical JSON, not two.
"""
from __future__ import annotations

from typing import Any

from .. import __version__
from ..errors import ERROR_CODES
from ..schema import report_schema
from .errors import SERVE_ERROR_CODES, STATUS


def _error(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _errors(*codes: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for code in codes:
        status = str(STATUS[code])
        meaning = ERROR_CODES.get(code) or SERVE_ERROR_CODES[code]
        prior = out.get(status, {}).get("description")
        out[status] = _error(f"{prior}; `{code}`: {meaning}" if prior else f"`{code}`: {meaning}")
    return out


DOCUMENT_ERRORS = ("bad_request", "unauthorized", "too_large", "unsupported_format", "converter_missing",
                   "empty", "encrypted", "truncated", "corrupt", "decode_failed", "not_a_report",
                   "internal_error", "busy", "timeout")

_UPLOAD_BODY = {
    "required": True,
    "description": "The report: the raw body (any content type but multipart), or a multipart/form-data "
                   "part with a file name; `format`, `ocr` may also be form fields.",
    "content": {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        "multipart/form-data": {"schema": {"type": "object", "properties": {
            "file": {"type": "string", "format": "binary"},
            "format": {"type": "string", "enum": ["pdf", "docx", "html", "txt"]},
            "ocr": {"type": "string", "enum": ["auto", "always", "never"]}}}},
    },
}

_DOCUMENT_PARAMS = [
    {"name": "filename", "in": "query", "schema": {"type": "string"},
     "description": "the file name of a raw body (its source.path; the extension helps sniffing)"},
    {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["pdf", "docx", "html", "txt"]},
     "description": "skip format sniffing"},
    {"name": "ocr", "in": "query", "schema": {"type": "string", "enum": ["auto", "always", "never"]},
     "description": "which PDF pages are read from their image (needs gaiextract[ocr])"},
]

_JOB_ID = [{"name": "job_id", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[0-9a-f]{32}$"}}]

_JOB = {"type": "object", "required": ["id", "state", "done"], "properties": {
    "id": {"type": "string"},
    "state": {"type": "string", "enum": ["queued", "running", "done", "failed"]},
    "created": {"type": "number", "description": "seconds since the epoch"},
    "files": {"type": "integer", "description": "files uploaded"},
    "total": {"type": ["integer", "null"], "description": "documents in them (archive members counted), once known"},
    "done": {"type": "integer"}, "ok": {"type": "integer"}, "with_warnings": {"type": "integer"},
    "errors": {"type": "integer"}, "error_codes": {"type": "object", "additionalProperties": {"type": "integer"}},
    "summary": {"type": ["object", "null"], "description": "the batch summary, when done"},
    "error": {"type": ["string", "null"], "description": "why a failed job failed (e.g. the database)"},
    "results": {"type": "string", "description": "the results' URL path"}}}


def spec() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "gaiextract", "version": __version__,
                 "description": "Chinese government information disclosure annual reports as canonical JSON. "
                                "Every /v1/ path wants `Authorization: Bearer TOKEN` when the server was "
                                "started with --token."},
        "components": {
            "schemas": {
                "Report": report_schema(),
                "Error": {"type": "object", "required": ["code", "message"], "properties": {
                    "code": {"type": "string", "enum": sorted({*ERROR_CODES, *SERVE_ERROR_CODES})},
                    "message": {"type": "string"}}},
                "Job": _JOB,
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "paths": {
            "/v1/extract": {"post": {
                "summary": "One report → its canonical JSON (byte for byte what `gaiextract extract FILE` prints)",
                "security": [{"bearer": []}, {}],
                "parameters": _DOCUMENT_PARAMS, "requestBody": _UPLOAD_BODY,
                "responses": {"200": {"description": "the canonical report", "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Report"}}}},
                    **_errors(*DOCUMENT_ERRORS)}}},
            "/v1/inspect": {"post": {
                "summary": "One report → its self-contained inspect page (HTML)",
                "security": [{"bearer": []}, {}],
                "parameters": _DOCUMENT_PARAMS, "requestBody": _UPLOAD_BODY,
                "responses": {"200": {"description": "the page", "content": {"text/html": {"schema": {"type": "string"}}}},
                              **_errors(*DOCUMENT_ERRORS)}}},
            "/v1/jobs": {"post": {
                "summary": "An archive (raw body) or several files (multipart) → a batch job",
                "security": [{"bearer": []}, {}],
                "parameters": [_DOCUMENT_PARAMS[0], _DOCUMENT_PARAMS[2]],
                "requestBody": {"required": True, "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
                    "multipart/form-data": {"schema": {"type": "object", "properties": {
                        "files": {"type": "array", "items": {"type": "string", "format": "binary"}}}}}}},
                "responses": {"202": {"description": "the job, queued", "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Job"}}}},
                    **_errors("bad_request", "unauthorized", "too_large", "busy")}}},
            "/v1/jobs/{job_id}": {
                "get": {"summary": "A job's state, counts and (when done) summary", "parameters": _JOB_ID,
                        "security": [{"bearer": []}, {}],
                        "responses": {"200": {"description": "the job", "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Job"}}}},
                            **_errors("unauthorized", "not_found")}},
                "delete": {"summary": "Forget a finished job and its files", "parameters": _JOB_ID,
                           "security": [{"bearer": []}, {}],
                           "responses": {"204": {"description": "deleted"},
                                         **_errors("bad_request", "unauthorized", "not_found")}}},
            "/v1/jobs/{job_id}/results": {"get": {
                "summary": "The job's records as JSON Lines, streamed until the job is finished: each line a "
                           "canonical report or an error record {schema: gaiextract.error/1, source, error}",
                "parameters": _JOB_ID, "security": [{"bearer": []}, {}],
                "responses": {"200": {"description": "JSON Lines", "content": {
                    "application/x-ndjson": {"schema": {"type": "string"}}}},
                    **_errors("unauthorized", "not_found")}}},
            "/health": {"get": {"summary": "Liveness and load (never waits for a worker)",
                                "responses": {"200": {"description": "ok", "content": {"application/json": {}}}}}},
            "/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "ok"}}}},
            "/": {"get": {"summary": "A small page: drop a report, see its tables, checks and warnings",
                          "responses": {"200": {"description": "HTML", "content": {"text/html": {}}}}}},
        },
    }
