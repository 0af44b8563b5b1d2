// Arena allocation for whole-file parses; parseWhole in cgo.go says why.
//
// tree-sitter allocates through four global function pointers
// (ts_set_allocator). arena_install points them here once: on a thread
// inside arena_parse they allocate from that parse's arena, and
// everywhere else (editor documents, whose trees live long) they are the
// C library's allocator, as before.

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

typedef struct chunk {
	struct chunk *next;
	char *end;
	char *cur;
	size_t size;
	_Alignas(16) char data[];
} chunk;

// Every block is preceded by a 16-byte header holding its size, so realloc
// knows how much to copy and blocks stay 16-byte aligned like malloc's.
// Freed blocks of up to MAX_RECYCLED bytes are kept on a list per size and
// handed out again: error recovery allocates and frees stack versions and
// subtree arrays by the million, and an arena that only bumped took over
// 1 KB per byte of a broken source (tree-sitter alone peaks at ~100).
enum { HEADER = 16, FIRST_CHUNK = 256 << 10, RETAIN = ARENA_RETAIN, MAX_RECYCLED = 4096 };

struct arena {
	chunk *head; // the chunk allocations come from; older ones follow
	size_t took; // bytes of chunks the last parse needed
	void *recycled[MAX_RECYCLED / 16 + 1]; // freed blocks by size / 16, linked through their first word
};

static _Thread_local arena *current;

static void out_of_memory(size_t n) {
	// tree-sitter's own allocator aborts the same way: it cannot recover.
	fprintf(stderr, "tree-sitter failed to allocate %zu bytes", n);
	abort();
}

static chunk *new_chunk(size_t size, chunk *next) {
	chunk *c = malloc(sizeof(chunk) + size);
	if (!c) out_of_memory(size);
	c->next = next;
	c->size = size;
	c->cur = c->data;
	c->end = c->data + size;
	return c;
}

static size_t block_size(const void *p) { return *(const size_t *)((const char *)p - HEADER); }

size_t arena_retained(const arena *a) {
	size_t n = 0;
	for (const chunk *c = a->head; c; c = c->next) n += c->size;
	return n;
}

static int owns(const arena *a, const void *p) {
	for (const chunk *c = a->head; c; c = c->next) {
		if ((const char *)p > c->data && (const char *)p < c->end) return 1;
	}
	return 0;
}

static void *bump(arena *a, size_t n) {
	if (n > SIZE_MAX / 2) out_of_memory(n); // size + HEADER must not wrap
	size_t size = (n + 15) & ~(size_t)15;
	if (size == 0) size = 16; // room for the link when it is recycled
	if (size <= MAX_RECYCLED && a->recycled[size / 16]) {
		void *p = a->recycled[size / 16];
		a->recycled[size / 16] = *(void **)p;
		return p;
	}
	size_t need = size + HEADER;
	chunk *c = a->head;
	if ((size_t)(c->end - c->cur) < need) {
		size_t grow = c->size * 2;
		if (grow < need) grow = need;
		c = a->head = new_chunk(grow, c);
	}
	char *p = c->cur + HEADER;
	*(size_t *)(p - HEADER) = size;
	c->cur += need;
	return p;
}

// is_last says p is the newest block of the head chunk: freeing it gives
// its bytes back, and growing it needs no copy (arrays grow that way).
static int is_last(const arena *a, const void *p) {
	const chunk *c = a->head;
	return (const char *)p > c->data && (const char *)p < c->end &&
	       (const char *)p + block_size(p) == c->cur;
}

// give_back takes back a freed block of a: the newest block's bytes return
// to the chunk, small blocks go to their size's list, and bigger ones wait
// for the arena to be dropped whole.
static void give_back(arena *a, void *p) {
	size_t size = block_size(p);
	if (is_last(a, p)) {
		a->head->cur = (char *)p - HEADER;
	} else if (size <= MAX_RECYCLED) {
		*(void **)p = a->recycled[size / 16];
		a->recycled[size / 16] = p;
	}
}

static void *arena_malloc(size_t n) {
	if (current) return bump(current, n);
	void *p = malloc(n);
	if (n > 0 && !p) out_of_memory(n);
	return p;
}

static void *arena_calloc(size_t count, size_t size) {
	size_t n = count * size;
	if (size != 0 && n / size != count) out_of_memory(SIZE_MAX);
	if (current) return memset(bump(current, n), 0, n);
	void *p = calloc(count, size);
	if (count > 0 && !p) out_of_memory(n);
	return p;
}

static void *arena_realloc(void *p, size_t n) {
	arena *a = current;
	if (a && (!p || owns(a, p))) {
		if (!p) return bump(a, n);
		size_t old = block_size(p);
		if (n <= old) return p;
		if (is_last(a, p)) {
			size_t size = (n + 15) & ~(size_t)15;
			chunk *c = a->head;
			if (size >= n && (size_t)(c->end - (char *)p) >= size) {
				*(size_t *)((char *)p - HEADER) = size;
				c->cur = (char *)p + size;
				return p;
			}
		}
		void *q = memcpy(bump(a, n), p, old);
		give_back(a, p);
		return q;
	}
	void *q = realloc(p, n);
	if (n > 0 && !q) out_of_memory(n);
	return q;
}

static void arena_free(void *p) {
	arena *a = current;
	if (a && p && owns(a, p)) {
		give_back(a, p);
		return;
	}
	free(p);
}

void ts_set_allocator(void *(*)(size_t), void *(*)(size_t, size_t), void *(*)(void *, size_t), void (*)(void *));

void arena_install(void) { ts_set_allocator(arena_malloc, arena_calloc, arena_realloc, arena_free); }

arena *arena_new(void) {
	arena *a = calloc(1, sizeof(arena));
	if (!a) out_of_memory(sizeof(arena));
	a->head = new_chunk(FIRST_CHUNK, NULL);
	return a;
}

// arena_parse parses src with a parser of its own, every byte of both taken
// from a (from the C library when a is NULL): the parser is deleted before
// it returns (its external scanner allocates with the C library), the tree
// lives until arena_reset (ts_tree_delete without an arena). Nothing may
// call back into Go in between (a logger, a read callback): other Go code
// could then run on this thread and allocate from a.
TSTree *arena_parse(arena *a, const char *src, uint32_t len) {
	current = a;
	TSParser *p = ts_parser_new();
	ts_parser_set_language(p, tree_sitter_python());
	TSTree *t = ts_parser_parse_string(p, NULL, src, len);
	ts_parser_delete(p);
	current = NULL;
	return t;
}

// arena_reset drops everything allocated from a. It keeps one chunk for the
// next parse, sized to what this one took, up to RETAIN: a huge file's
// memory goes back to the C library.
void arena_reset(arena *a) {
	a->took = arena_retained(a);
	memset(a->recycled, 0, sizeof a->recycled);
	if (!a->head->next && a->head->size <= RETAIN) {
		a->head->cur = a->head->data;
		return;
	}
	size_t keep = a->head->size;
	if (keep > RETAIN) keep = RETAIN;
	for (chunk *c = a->head, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	a->head = new_chunk(keep < FIRST_CHUNK ? FIRST_CHUNK : keep, NULL);
}

size_t arena_took(const arena *a) { return a->took; }

void arena_free_all(arena *a) {
	for (chunk *c = a->head, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}
