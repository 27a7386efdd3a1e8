"""A small REST client for the trust suite: one logged-in session per user, every request
counted, every server error (5xx) recorded."""

import json
import os
import threading
import time

import requests

BASE = os.environ.get("TRUST_URL", "http://trust.dangjian:8000")
PASSWORD = "Dangjian@2026"


class Stats:
	def __init__(self):
		self.lock = threading.Lock()
		self.requests = 0
		self.server_errors = []

	def record(self, method, path, status, text):
		with self.lock:
			self.requests += 1
			if status >= 500:
				self.server_errors.append(f"{method} {path} -> {status}: {text[:300]}")


STATS = Stats()


class Response:
	def __init__(self, r: requests.Response):
		self.status = r.status_code
		self.text = r.text
		self.content = r.content
		try:
			self.json = r.json()
		except ValueError:
			self.json = None

	@property
	def data(self):
		return (self.json or {}).get("data")

	@property
	def message(self):
		return (self.json or {}).get("message")

	@property
	def exc_type(self) -> str:
		return (self.json or {}).get("exc_type") or ""

	@property
	def ok(self) -> bool:
		return self.status == 200 and not self.exc_type

	@property
	def denied(self) -> bool:
		return self.status == 403 or self.exc_type == "PermissionError"

	def errors(self) -> str:
		"""The server's messages, for matching a message fragment."""
		out = []
		body = self.json or {}
		# the messages as text first (a caller may keep only the start): Frappe sends them as
		# JSON inside JSON, a Chinese one escaped (\\u5df2...)
		try:
			for m in json.loads(body.get("_server_messages") or "[]"):
				out.append(json.loads(m).get("message", ""))
		except (ValueError, TypeError, AttributeError):
			pass
		for key in ("_server_messages", "exception", "message", "exc"):
			if body.get(key):
				out.append(str(body[key]))
		return "\n".join(out) or self.text[:2000]


class Client:
	def __init__(self, user: str | None, password: str = PASSWORD):
		self.user = user
		self.s = requests.Session()
		self.s.headers["Accept"] = "application/json"
		if user:
			r = self.s.post(f"{BASE}/api/method/login", data={"usr": user, "pwd": password}, timeout=60)
			STATS.record("POST", "/api/method/login", r.status_code, r.text)
			if r.status_code != 200:
				raise RuntimeError(f"login failed for {user}: {r.status_code} {r.text[:200]}")

	def request(self, method, path, **kw) -> Response:
		kw.setdefault("timeout", 120)
		for attempt in range(5):
			try:
				r = self.s.request(method, f"{BASE}{path}", **kw)
				break
			except requests.ConnectionError:
				# a dev server restarting (it reloads when code changes): wait and retry
				if attempt == 4:
					raise
				time.sleep(3)
		STATS.record(method, path, r.status_code, r.text)
		return Response(r)

	def get(self, path, **params) -> Response:
		return self.request("GET", path, params=params or None)

	def post(self, path, data=None) -> Response:
		return self.request("POST", path, json=data or {})

	def put(self, path, data) -> Response:
		return self.request("PUT", path, json=data)

	def delete(self, path) -> Response:
		return self.request("DELETE", path)

	def method(self, method_path, /, **args) -> Response:
		return self.post(f"/api/method/{method_path}", args)

	# --- documents
	def doc(self, doctype, name) -> Response:
		return self.get(f"/api/resource/{doctype}/{name}")

	def list(self, doctype, filters=None, fields=None, limit=0) -> Response:
		params = {"limit_page_length": limit}
		if filters is not None:
			params["filters"] = json.dumps(filters)
		if fields:
			params["fields"] = json.dumps(fields)
		return self.request("GET", f"/api/resource/{doctype}", params=params)

	def insert(self, doc: dict) -> Response:
		return self.post(f"/api/resource/{doc['doctype']}", doc)

	def update(self, doctype, name, values: dict) -> Response:
		return self.put(f"/api/resource/{doctype}/{name}", values)

	def remove(self, doctype, name) -> Response:
		return self.delete(f"/api/resource/{doctype}/{name}")

	def workflow(self, doctype, name, action) -> Response:
		doc = self.doc(doctype, name)
		if not doc.ok:
			return doc
		return self.method("frappe.model.workflow.apply_workflow", doc=doc.data, action=action)

	def transitions(self, doctype, name) -> Response:
		return self.method(
			"frappe.model.workflow.get_transitions", doc=json.dumps({"doctype": doctype, "name": name})
		)

	def has_permission(self, doctype, name, ptype) -> Response:
		return self.method("frappe.client.has_permission", doctype=doctype, docname=name, perm_type=ptype)

	def report(self, name, filters) -> Response:
		return self.method("frappe.desk.query_report.run", report_name=name, filters=json.dumps(filters))
