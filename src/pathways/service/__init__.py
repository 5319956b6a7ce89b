"""The journey service: the journey store over HTTP, for case systems in any language.

```python
from pathways.service.app import create_app
from pathways.service.keys import KeyRing
from pathways.store import JourneyStore

app = create_app(JourneyStore("sqlite:///journeys.db"), KeyRing("keys.json"))  # an ASGI app
```

`create_app(store, keys, tokens=TokenVerifier(settings, agencies))` also accepts OpenID Connect
bearer tokens (`service.oidc`). `pathways serve` runs it with uvicorn (`service.server`);
`pathways serve keys add --agency X` issues keys. See docs/service.md for the resources, the
security model and curl examples.
"""

# The application and the keys are imported from their modules (`service.app`, `service.keys`)
# so that `import pathways.service` does not load FastAPI, an optional extra.
__all__: list[str] = []
