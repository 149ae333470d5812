/*
 * The max-order buddy hazard of deferred struct page init, for Spin.
 *
 * One max-order block of NPAGES pages, two workers (padata threads). The
 * block is split at SPLIT: worker 0 owns pages [0, SPLIT), worker 1 owns
 * [SPLIT, NPAGES). Each worker initializes the struct pages of its chunk one
 * by one (__init_single_page), then frees them one by one to the buddy
 * allocator (__free_one_page, under zone->lock, so atomic here). Freeing a
 * page merges it with its buddy while the buddy is free at the same order;
 * to know that, the merge reads the buddy's struct page (page_is_buddy), so
 * that struct page must already be initialized: the assertion.
 *
 * padata with align = min_chunk = PAGES_PER_SECTION gives SPLIT = NPAGES
 * (one worker owns the whole block): safe. align = 1 page (the known-bad
 * bug-unaligned-chunks) gives a SPLIT inside the block: a worker's merge can
 * read the other worker's uninitialized struct page.
 *
 *   spin -DSPLIT=3 -a buddy_maxorder.pml && gcc -O2 -DSAFETY -o pan pan.c && ./pan
 */
/* Spin needs array sizes as literals: NPAGES = 2^MAXORDER, both given. */
#ifndef MAXORDER
#define MAXORDER 3
#define NPAGES 8
#endif
#ifndef SPLIT
#define SPLIT 3
#endif

bool inited[NPAGES];    /* struct page initialized */
bool isfree[NPAGES];    /* PageBuddy: head of a free block */
byte forder[NPAGES];    /* buddy_order of a free head */

inline free_one(pfn) {
  atomic {
    p = pfn;
    order = 0;
    assert(inited[p]);
    do
    :: order < MAXORDER ->
       buddy = p ^ (1 << order);
       assert(inited[buddy]);                       /* page_is_buddy reads the buddy's struct page */
       if
       :: isfree[buddy] && forder[buddy] == order ->
          isfree[buddy] = false;                  /* del_page_from_free_list */
          p = p & buddy;                          /* the combined block starts at the lower pfn */
          order++
       :: else -> break
       fi
    :: else -> break
    od;
    isfree[p] = true;
    forder[p] = order
  }
}

proctype worker(byte lo; byte hi) {
  byte i, p, buddy, order;
  i = lo;
  do
  :: i < hi -> inited[i] = true; i++                /* __init_single_page, one page per step */
  :: else -> break
  od;
  i = lo;
  do
  :: i < hi -> free_one(i); i++                   /* deferred_free_pages */
  :: else -> break
  od
}

init {
  atomic {
    run worker(0, SPLIT);
    run worker(SPLIT, NPAGES)
  }
}
