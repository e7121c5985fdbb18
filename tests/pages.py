"""Reading the portal's pages in tests as a person (or a screen reader) reads them."""

import lxml.html


def page_of(response) -> lxml.html.HtmlElement:
    """The page of a Django test client's response, to look up by XPath."""
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content.decode())


def text_of(element) -> str:
    """An element's text as shown, spaces collapsed."""
    return " ".join(element.text_content().split())


def accessible_name(page, element) -> str:
    """The name a screen reader gives ``element``: what aria-labelledby points at, else
    aria-label (the parts of the rule the portal's pages use)."""
    if ids := element.get("aria-labelledby"):
        return " ".join(text_of(page.get_element_by_id(i)) for i in ids.split())
    return element.get("aria-label", "")


def messages_of(response) -> list[str]:
    """The messages the page shows (Django's messages framework)."""
    return [str(m) for m in response.context["messages"]]
