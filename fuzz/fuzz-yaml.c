/* fuzz-yaml.c - libFuzzer: fo_yaml_load_mem must not crash, hang or leak. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fo.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Check each node's shape without recursion: the tree is at most 32 deep. */
static size_t
walk(const struct fo_ynode *root)
{
	const struct fo_ynode *stack[FO_YAML_MAX_DEPTH + 1], *y;
	size_t idx[FO_YAML_MAX_DEPTH + 1], count = 0;
	int top = 0;

	if (root == NULL)
		return 0;
	stack[0] = root;
	idx[0] = 0;
	count = 1;
	while (top >= 0) {
		y = stack[top];
		if (y->type == FO_Y_SCALAR) {
			if (y->str == NULL || y->str[y->len] != '\0' ||
			    y->n != 0 || y->line < 1 || y->col < 1)
				__builtin_trap();
			top--;
			continue;
		}
		if (y->type == FO_Y_MAP && y->n % 2 != 0)
			__builtin_trap();
		if (idx[top] == y->n) {
			top--;
			continue;
		}
		if (y->type == FO_Y_MAP && idx[top] % 2 == 0 &&
		    y->kid[idx[top]]->type != FO_Y_SCALAR)
			__builtin_trap();
		if (top + 1 > FO_YAML_MAX_DEPTH)
			__builtin_trap();
		stack[top + 1] = y->kid[idx[top]++];
		idx[++top] = 0;
		count++;
	}
	return count;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fo_errs es = { 0 };
	struct fo_ydoc *d;
	const struct fo_ynode *v;
	static const char *const allowed[] = { "id", "when", "class", NULL };
	size_t i;
	int rc;

	rc = fo_yaml_load_mem("fuzz", (const char *)data, size, &d, &es);
	if (rc == FO_OK) {
		if (d == NULL || es.n != 0)
			__builtin_trap();
		walk(d->root);
		v = fo_ymap_get(d->root, "id");
		(void)v;
		fo_ymap_check(d->root, allowed, "rule", d->file, &es);
		fo_yaml_free(d);
	} else {
		if (d != NULL || es.n == 0)
			__builtin_trap();
		for (i = 0; i < es.n; i++)
			if (strlen(es.v[i].msg) >= sizeof es.v[i].msg ||
			    fo_utf8_check(es.v[i].msg,
			    strlen(es.v[i].msg)) != strlen(es.v[i].msg))
				__builtin_trap();
	}
	fo_errs_free(&es);
	return 0;
}
