#include "client/pager.hpp"

#include <utility>

namespace sdrs {

template <typename Query, typename List, List (Client::*Fetch)(const Query &, const CallContext &),
          std::vector<Record> List::*Items>
Pager<Query, List, Fetch, Items>::Pager(std::shared_ptr<Client> client, const Query &query)
    : client_(std::move(client)),
      query_(query),
      page_size_(query.limit.value_or(1000)),
      next_offset_(query.offset.value_or(0)) {
  query_.limit = page_size_;
}

template <typename Query, typename List, List (Client::*Fetch)(const Query &, const CallContext &),
          std::vector<Record> List::*Items>
bool Pager<Query, List, Fetch, Items>::next_page(std::vector<Record> *items,
                                                 const CallContext &ctx) {
  if (done_) return false;
  query_.offset = next_offset_;
  List list = (client_.get()->*Fetch)(query_, ctx);
  std::vector<Record> &page = list.*Items;
  const auto size = static_cast<int64_t>(page.size());
  next_offset_ += size;
  // A short page ends the listing; so does reaching the service's total count.
  done_ = size < page_size_ || (list.count >= 0 && next_offset_ >= list.count);
  *items = std::move(page);
  return true;
}

template class Pager<ListQuery, GroupList, &Client::list_pg, &GroupList::groups>;
template class Pager<PiListQuery, InstanceList, &Client::list_pi, &InstanceList::instances>;
template class Pager<PairListQuery, PairList, &Client::list_pair, &PairList::pairs>;
template class Pager<DrillListQuery, DrillList, &Client::list_drill, &DrillList::drills>;
template class Pager<TaskListQuery, TaskList, &Client::list_task, &TaskList::tasks>;
template class Pager<TagQuery, TagQueryResult, &Client::query_tags, &TagQueryResult::resources>;

}  // namespace sdrs
