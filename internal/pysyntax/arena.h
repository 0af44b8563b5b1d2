#ifndef ASYNCMIG_ARENA_H
#define ASYNCMIG_ARENA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// Declarations mirrored from tree_sitter/api.h of the pinned smacker module
// (see cgo.go); the symbols are linked from smacker's C objects.
typedef struct TSTree TSTree;
typedef struct TSParser TSParser;
typedef struct TSLanguage TSLanguage;
const TSLanguage *tree_sitter_python(void);
TSParser *ts_parser_new(void);
void ts_parser_delete(TSParser *);
bool ts_parser_set_language(TSParser *, const TSLanguage *);
TSTree *ts_parser_parse_string(TSParser *, const TSTree *, const char *, uint32_t);
void ts_tree_delete(TSTree *);

// An arena keeps at most this many bytes between parses.
#define ARENA_RETAIN (4 << 20)

typedef struct arena arena;
void arena_install(void);
arena *arena_new(void);
TSTree *arena_parse(arena *, const char *, uint32_t);
void arena_reset(arena *);
size_t arena_took(const arena *);
size_t arena_retained(const arena *);
void arena_free_all(arena *);

#endif
