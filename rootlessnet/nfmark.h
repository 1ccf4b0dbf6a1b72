/* nfmark.h - nftables over libnftnl: the marks that tie transparent connections to their replies */
#ifndef RN_NFMARK_H
#define RN_NFMARK_H

#include <stddef.h>
#include <stdint.h>

struct error;
struct nl;

/* the table's name, in the inet family (nft list table inet rootlessnet) */
#define NFMARK_TABLE "rootlessnet"

/**
 * struct nfmark_marks - the marks the table works with
 * @sock:	SO_MARK of the sockets whose connections are tagged (the whole mark)
 * @ct:		conntrack mark bit given to those connections
 * @route:	packet mark bit given to every packet of a tagged connection on the way in
 */
struct nfmark_marks {
	uint32_t sock;
	uint32_t ct;
	uint32_t route;
};

/* messages in the batch nfmark_batch() builds, each acknowledged */
#define NFMARK_BATCH_MSGS 7

int nfmark_batch(void *buf, size_t size, unsigned int seq, const struct nfmark_marks *m,
		 size_t *len);
int nfmark_install(struct nl *nl, const struct nfmark_marks *m, struct error *e);

#endif /* RN_NFMARK_H */
