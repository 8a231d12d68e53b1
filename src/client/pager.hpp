// Walks a listing page by page (limit/offset): groups for sdrs_pg_iter, instances for
// sdrs_pi_iter, pairs for sdrs_pair_iter, drills, failed tasks and tag-query matches. One
// template, instantiated in pager.cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "client/client.hpp"

namespace sdrs {

// Query: the listing's filters (with optional limit/offset); List: a page ({items, count});
// Fetch: the Client method that lists one page; Items: the page's records.
template <typename Query, typename List, List (Client::*Fetch)(const Query &, const CallContext &),
          std::vector<Record> List::*Items>
class Pager {
 public:
  // The query's limit is the page size (1000 when unset), its offset the start.
  Pager(std::shared_ptr<Client> client, const Query &query);

  // Fetches the next page into *items. False, with nothing fetched, once the listing has
  // ended: after a short page, or when the service's total count is reached.
  bool next_page(std::vector<Record> *items, const CallContext &ctx);

 private:
  std::shared_ptr<Client> client_;  // keeps the client alive as long as the pager
  Query query_;
  int64_t page_size_;
  int64_t next_offset_;
  bool done_ = false;
};

using PgPager = Pager<ListQuery, GroupList, &Client::list_pg, &GroupList::groups>;
using PiPager = Pager<PiListQuery, InstanceList, &Client::list_pi, &InstanceList::instances>;
using PairPager = Pager<PairListQuery, PairList, &Client::list_pair, &PairList::pairs>;
using DrillPager = Pager<DrillListQuery, DrillList, &Client::list_drill, &DrillList::drills>;
using TaskPager = Pager<TaskListQuery, TaskList, &Client::list_task, &TaskList::tasks>;
// The tag query pages by its limit/offset too; its count is total_count.
using TagQueryPager =
    Pager<TagQuery, TagQueryResult, &Client::query_tags, &TagQueryResult::resources>;

extern template class Pager<ListQuery, GroupList, &Client::list_pg, &GroupList::groups>;
extern template class Pager<PiListQuery, InstanceList, &Client::list_pi, &InstanceList::instances>;
extern template class Pager<PairListQuery, PairList, &Client::list_pair, &PairList::pairs>;
extern template class Pager<DrillListQuery, DrillList, &Client::list_drill, &DrillList::drills>;
extern template class Pager<TaskListQuery, TaskList, &Client::list_task, &TaskList::tasks>;
extern template class Pager<TagQuery, TagQueryResult, &Client::query_tags,
                            &TagQueryResult::resources>;

}  // namespace sdrs
