package pymodel

import "testing"

// `with X() as y` binds what X's __enter__ returns: the client itself for
// HTTP clients known to return self, nothing known for other context
// managers, and sessions as before.
func TestWithBindsEnteredValue(t *testing.T) {
	_, files := build(t, map[string]string{
		"app.clients": `# Clientes HTTP 🌐
import threading
import urllib.request

import httpx
import requests
from sqlalchemy.orm import sessionmaker

SessionLocal = sessionmaker()


async def llamar(url: str):
    with httpx.Client(timeout=5) as cliente:
        cliente.get(url)
    async with httpx.AsyncClient() as acliente:
        await acliente.get(url)
    with requests.Session() as sesion_http:
        sesion_http.post(url, json={"año": 2024})
    with urllib.request.urlopen(url) as respuesta:
        respuesta.read()
    with threading.Lock() as cerrojo:
        pass
    with SessionLocal() as db:
        db.execute("SELECT 1")
`,
	})
	f := files["app.clients"]
	cases := []struct {
		context, name string
		kind          VKind
		qual          string
	}{
		{"cliente.get(url)", "cliente", ExtInstance, "httpx.Client"},
		{"await acliente.get(url)", "acliente", ExtInstance, "httpx.AsyncClient"},
		{"sesion_http.post(url", "sesion_http", ExtInstance, "requests.Session"},
		{"respuesta.read()", "respuesta", Unknown, ""},
		{"cerrojo:", "cerrojo", Unknown, ""},
		{`db.execute("SELECT 1")`, "db", SyncSession, ""},
	}
	for _, c := range cases {
		v := f.Value(nodeAt(t, f, c.context, c.name))
		if v.Kind != c.kind || v.Name != c.qual {
			t.Errorf("%s = %v %q, want %v %q", c.name, v.Kind, v.Name, c.kind, c.qual)
		}
	}
	// The method of the entered client resolves to its qualified name.
	if q := f.Qualified(nodeAt(t, f, "cliente.get(url)", "cliente.get")); q != "httpx.Client.get" {
		t.Errorf("cliente.get = %q", q)
	}
}
