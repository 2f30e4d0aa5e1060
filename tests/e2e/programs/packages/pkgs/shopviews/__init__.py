"""The views of a small shop: a Flask application with jinja2 templates from
its templates/ directory. Confined by the policy like any third-party package
(it sits on an absolute PYTHONPATH entry). /greet has a real-world bug: it
builds a template from user input (server-side template injection)."""
import threading

from flask import Flask, render_template, render_template_string, request

ITEMS = {n: f"item-{n}" for n in range(1, 21)}
_lock = threading.Lock()
hits = 0


def _count():
    global hits
    with _lock:
        hits += 1


def create_app():
    app = Flask(__name__)

    @app.route("/")
    def index():
        _count()
        return render_template("index.html", items=ITEMS)

    @app.route("/item/<int:n>")
    def item(n):
        _count()
        if n not in ITEMS:
            return render_template("missing.html", n=n), 404
        return render_template("item.html", n=n, name=ITEMS[n], square=n * n)

    @app.route("/greet")
    def greet():
        _count()
        name = request.args.get("name", "stranger")
        # the bug: user input becomes template source
        return render_template_string("Hello " + name + "!")

    return app
