"""A browser's view of a form: what it would submit, read from the page's HTML."""

from html.parser import HTMLParser


class FormReader(HTMLParser):
    """What a browser would submit for the form with id ``form_id`` (no submit button)."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.template_depth = form_id, False, 0
        self.data, self.select, self.options, self.textarea = {}, None, [], None
        self.disabled = []

    def add(self, name, value):
        if name in self.data:
            current = self.data[name]
            self.data[name] = [*current, value] if isinstance(current, list) else [current, value]
        else:
            self.data[name] = value

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        if tag == "template":
            self.template_depth += 1
        if self.template_depth:
            return
        if "disabled" in a and a.get("name"):
            self.disabled.append(a["name"])
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.add(a["name"], a.get("value", "on"))
                return
            self.add(a["name"], a.get("value", ""))
        elif tag == "select" and a.get("name"):
            self.select, self.options = a, []
        elif tag == "option" and self.select is not None:
            self.options.append([a.get("value"), "selected" in a, ""])
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data
        elif self.select is not None and self.options:
            self.options[-1][2] += data

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "template":
            self.template_depth -= 1
        elif self.template_depth:
            return
        elif tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            chosen = [o for o in self.options if o[1]]
            if not chosen and self.options and "multiple" not in self.select:
                chosen = self.options[:1]
            for value, _selected, text in chosen:
                self.add(self.select["name"], value if value is not None else text.strip())
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            self.add(name, text[1:] if text.startswith("\n") else text)
            self.textarea = None


def read_form(html, form_id="editor"):
    reader = FormReader(form_id)
    reader.feed(html)
    return reader.data
