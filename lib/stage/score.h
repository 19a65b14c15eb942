/*
 * score.h - what the files of fo-score's model share, private to them
 * (score.c, scoring.c, rates.c, vendors.c, terms.c): the model as
 * loaded, its factors and tiers, and the loaders' helpers. Not part of
 * fo.h: cmd/ and other layers see struct fo_score only by pointer.
 */
#ifndef FO_STAGE_SCORE_H
#define FO_STAGE_SCORE_H

#define MAX_ERRS 100		/* per rates or vendors file */

/* The factors, as named in the rules file and in priority_factors
 * (fo_score_factor_names, in this order). */
enum factor {
	F_AMOUNT, F_VENDOR_TIER, F_DUE, F_DISCOUNT, F_AGE, F_SLA_RISK,
	F_DUPLICATE, F_SENSITIVITY, F_CLASS, F_BLOCKED_VENDOR,
	F_BANK_MISMATCH, NFACTOR
};
extern const char *const fo_score_factor_names[];

/* The vendor tiers, as named in the rules file and the vendor master;
 * the last is a vendor the master does not know. */
extern const char *const fo_score_tiers[];
#define TIER_UNKNOWN 4

struct band {
	struct fo_dec min;	/* money bands: from this amount on */
	long days;		/* day bands: max_days (due), min_days (age) */
	int points;
};

struct bands {
	struct band *v;
	size_t n;
};

struct entry {			/* a class (or "default") and its number */
	char *name;
	int val;
};

struct table {
	struct entry *v;
	size_t n;
	int has_default, def;
};

struct fo_score {
	const char *file;	/* the caller's: errors point at it */
	char base[4];
	int minor;		/* of the base currency */
	int p1, p2, p3;		/* band thresholds */
	int order[NFACTOR];	/* the factors in the rules' order */
	size_t nfactor;
	struct bands amount, due, discount, age, duplicate;
	long disc_within;
	int tier[5];
	int sens[3];
	struct table cls;	/* class -> points */
	int sla_points;
	struct fo_route *sla;	/* whose SLAs sla_risk reads, or NULL */
	const struct fo_asof *sla_asof;
	int blocked_points, bank_points;
	char **classes;		/* classes the rules file adds */
	size_t nclasses;
	/* per run */
	long norate;		/* exceptions scored without a rate */
	const struct fo_rates *rates;
	const struct fo_vendors *vendors;
	int32_t as_of;
	/* scratch, reused per record */
	struct fo_buf vals, why, tmp, f[8];
	/* the keys of priority_factors as written, once: "amount": */
	struct fo_buf facs;
	size_t facoff[NFACTOR + 1];
	struct fo_owned owned;
};

/* score.c: the index of s in the NULL-ended list, or -1. */
int	fo_score_lookup(const char *s, const char *const *list);
/* rates.c: an error of a rates or vendors file, after the ones before
 * it in errs; past MAX_ERRS one more says so, then FO_ERR: stop. */
int	fo_score_add_err(struct fo_errs *, size_t before, const char *file,
	    long line, long col, const char *msg);
/* rates.c: s ends with suffix, in any case. */
int	fo_score_ends_with(const char *s, const char *suffix);
/* vendors.c: token t of r is null. */
int	fo_score_is_null(const struct fo_rec *r, int t);
/* vendors.c: the index of the n bytes at s in list, in any case, or -1. */
int	fo_score_word_in(const char *s, size_t n, const char *const *list);

#endif /* FO_STAGE_SCORE_H */
