#include "runtime/executor.h"

#include "runtime/node_error.h"

#include <omp.h>

#include <chrono>

namespace ecoinfer {

std::string_view executor_name(ExecutorKind k) { return k == ExecutorKind::planned ? "planned" : "eager"; }

std::unique_ptr<Executor> make_planned_executor(const Graph& g, RunOptions opts);  // planned_executor.cpp

std::unique_ptr<Executor> make_executor(const Graph& g, ExecutorKind kind, RunOptions opts) {
  if (kind == ExecutorKind::planned) return make_planned_executor(g, opts);
  return std::make_unique<EagerExecutor>(g, opts);
}

EagerExecutor::EagerExecutor(const Graph& g, RunOptions opts) : graph_(g), opts_(opts) {
  std::unordered_map<std::string, int> slot_of;
  auto slot = [&](const std::string& name) {
    auto [it, fresh] = slot_of.emplace(name, static_cast<int>(slots_.size()));
    if (fresh) {
      slots_.emplace_back();
      slot_is_const_.push_back(false);
    }
    return it->second;
  };
  for (auto& [name, t] : g.initializers) {
    int s = slot(name);
    slots_[s] = t;
    slot_is_const_[s] = true;
  }
  for (auto& v : g.inputs) input_slots_.push_back(slot(v.name));
  std::vector<int> last_use;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    Step st;
    st.schema = find_op(n.domain, n.op_type);
    ECO_CHECK(st.schema, "unsupported operator '{}' at node '{}'", n.op_type, n.name);
    for (auto& in : n.inputs) st.in_slots.push_back(in.empty() ? -1 : slot(in));
    for (auto& out : n.outputs) st.out_slots.push_back(out.empty() ? -1 : slot(out));
    steps_.push_back(std::move(st));
  }
  for (auto& v : g.outputs) output_slots_.push_back(slot(v.name));
  last_use.assign(slots_.size(), -1);
  for (size_t i = 0; i < steps_.size(); ++i)
    for (int s : steps_[i].in_slots)
      if (s >= 0) last_use[s] = static_cast<int>(i);
  for (int s : output_slots_) last_use[s] = static_cast<int>(steps_.size());  // keep outputs
  for (size_t s = 0; s < slots_.size(); ++s)
    if (!slot_is_const_[s] && last_use[s] >= 0 && last_use[s] < static_cast<int>(steps_.size()))
      steps_[last_use[s]].free_after.push_back(static_cast<int>(s));
  states_.resize(steps_.size());
  state_kernel_.assign(steps_.size(), kReference);
  kernel_names_.resize(steps_.size());
}

std::vector<Tensor> zero_inputs(const Graph& g, const std::vector<Shape>& input_shapes) {
  ECO_CHECK(input_shapes.size() == g.inputs.size(), "the model takes {} input(s), {} shape(s) given", g.inputs.size(),
            input_shapes.size());
  std::vector<Tensor> zeros;
  for (size_t i = 0; i < input_shapes.size(); ++i) zeros.push_back(Tensor::zeros(g.inputs[i].dtype, input_shapes[i]));
  return zeros;
}

PrepareReport EagerExecutor::prepare(const std::vector<Shape>& input_shapes) {
  const auto t0 = std::chrono::steady_clock::now();
  if (!choices_.count(input_shapes)) run(zero_inputs(graph_, input_shapes));
  PrepareReport r = describe_choice(input_shapes);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

PrepareReport EagerExecutor::describe_choice(const std::vector<Shape>& input_shapes) const {
  auto it = choices_.find(input_shapes);
  ECO_CHECK(it != choices_.end(), "no kernels chosen yet for input shapes {}",
            input_shapes.empty() ? std::string("()") : shape_str(input_shapes[0]));
  const Choice& c = it->second;
  PrepareReport r;
  r.nodes = steps_.size();
  for (size_t i = 0; i < steps_.size(); ++i) {
    const Node& n = graph_.nodes[i];
    const OpSchema& s = *steps_[i].schema;
    const int k = c.kernel[i];
    const std::string name = k >= 0 ? s.fast[static_cast<size_t>(k)].name
                             : k == kChooseEachRun ? "chosen on each run" : "reference";
    r.kernels.push_back(fmt::format("{}  {}  {}", n.name.empty() ? "(unnamed)" : n.name, n.op_type, name));
    if (k == kChooseEachRun) ++r.rechecked;
    if (k == kReference && !s.fast.empty() && !opts_.reference_only) {
      KernelFallback f{n.name, n.domain.empty() ? n.op_type : n.domain + "." + n.op_type, {}, {}, {}};
      if (auto sh = c.fallback_shapes.find(i); sh != c.fallback_shapes.end()) f.input_shapes = sh->second;
      for (auto& fk : s.fast)
        if (fk.available())
          f.declined.push_back(fk.name);
        else if (!fk.runnable())
          f.not_on_this_cpu.push_back(fmt::format("{} (needs {})", fk.name, cpu_feature_name(fk.needs)));
      // (a kernel that yields to a better one for this CPU is neither: that one is listed)
      (f.declined.empty() ? r.cpu_limited : r.fallbacks).push_back(std::move(f));
    }
  }
  return r;
}

void EagerExecutor::set_memory_plan(MemoryPlan plan) {
  ECO_CHECK(plan.outputs_by_node.empty() || plan.outputs_by_node.size() == steps_.size(),
            "memory plan covers {} nodes, the graph has {}", plan.outputs_by_node.size(), steps_.size());
  plan_ = std::move(plan);
}

void check_inputs(const Graph& g, const std::vector<Tensor>& inputs) {
  ECO_CHECK(inputs.size() == g.inputs.size(), "the model takes {} input(s), {} given", g.inputs.size(), inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    const ValueInfo& v = g.inputs[i];
    const Tensor& t = inputs[i];
    ECO_CHECK(t.dtype() == v.dtype, "input '{}' must be {}, got {}", v.name, dtype_name(v.dtype), dtype_name(t.dtype()));
    if (!v.has_shape) continue;
    bool ok = t.rank() == static_cast<int>(v.shape.size());
    bool only_batch = ok && !v.shape.empty();  // whether the first dimension is the only mismatch
    for (size_t d = 0; t.rank() == static_cast<int>(v.shape.size()) && d < v.shape.size(); ++d)
      if (v.shape[d].known() && v.shape[d].value != t.shape()[d]) {
        ok = false;
        if (d > 0) only_batch = false;
      }
    ECO_CHECK(ok, "{}input '{}' has shape {}, the model expects {}{}", g.source.empty() ? "" : g.source + ": ", v.name,
              shape_str(t.shape()), v.shape_str(),
              only_batch ? fmt::format(" (the model takes a fixed batch of {}: use --batch {})", v.shape[0].value,
                                       v.shape[0].value)
                         : "");
  }
}

std::vector<Tensor> EagerExecutor::run(const std::vector<Tensor>& inputs) {
  check_inputs(graph_, inputs);
  std::vector<Shape> key;
  for (auto& t : inputs) key.push_back(t.shape());
  if (auto it = choices_.find(key); it != choices_.end()) return run_with(inputs, it->second, false);
  Choice c;
  c.kernel.assign(steps_.size(), kReference);
  std::vector<Tensor> out = run_with(inputs, c, true);
  if (choices_.size() >= kMaxChoices) choices_.clear();  // a stream of new batch sizes must not grow memory
  choices_.emplace(std::move(key), std::move(c));
  return out;
}

std::vector<Tensor> EagerExecutor::run_with(const std::vector<Tensor>& inputs, Choice& choice, bool choosing) {
  omp_set_num_threads(std::max(1, opts_.threads));
  for (size_t i = 0; i < inputs.size(); ++i) slots_[input_slots_[i]] = inputs[i];
  auto run_step = [&](size_t i) {
    Step& st = steps_[i];
    const Node& node = graph_.nodes[i];
    OpContext ctx{node, {}, opts_.threads, &states_[i]};
    const bool planned = !plan_.outputs_by_node.empty();
    if (planned) ctx.planned_outputs = &plan_.outputs_by_node[i];
    ctx.inputs.reserve(st.in_slots.size());
    for (int s : st.in_slots) {
      if (s < 0) {
        ctx.inputs.push_back(nullptr);
      } else {
        ECO_CHECK(slots_[s].defined(), "{}: input '{}' has no value", node.describe(), node.inputs[ctx.inputs.size()]);
        ctx.inputs.push_back(&slots_[s]);
      }
    }
    int k = choice.kernel[i];
    if (choosing || k == kChooseEachRun) {
      k = kReference;
      if (!opts_.reference_only)
        for (size_t j = 0; j < st.schema->fast.size(); ++j)
          if (st.schema->fast[j].available() && st.schema->fast[j].supports(ctx)) {
            k = static_cast<int>(j);
            break;
          }
      if (choosing) {
        // supports() may read the values of integer inputs computed at run time: such nodes
        // are chosen again on every run, the others keep this choice for their shapes.
        bool recheck = false;
        for (size_t j = 0; j < st.in_slots.size(); ++j)
          recheck |= st.in_slots[j] >= 0 && !slot_is_const_[st.in_slots[j]] && !dtype_is_float(ctx.inputs[j]->dtype());
        choice.kernel[i] = recheck && !st.schema->fast.empty() && !opts_.reference_only ? kChooseEachRun : k;
        if (k == kReference && !st.schema->fast.empty()) {
          std::string shapes;
          for (const Tensor* t : ctx.inputs) shapes += (shapes.empty() ? "" : " ") + (t ? shape_str(t->shape()) : "-");
          choice.fallback_shapes[i] = std::move(shapes);
        }
      }
    }
    // Kernel state belongs to the kernel that made it (a node's choice can differ by shape).
    if (state_kernel_[i] != k) {
      states_[i].reset();
      state_kernel_[i] = k;
    }
    const KernelFn* fn = k >= 0 ? &st.schema->fast[static_cast<size_t>(k)].run : &st.schema->reference;
    kernel_names_[i] = k >= 0 ? st.schema->fast[static_cast<size_t>(k)].name : "reference";
    const auto t0 = opts_.profile ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
    std::vector<Tensor> outs = (*fn)(ctx);
    if (opts_.profile) {
      const std::string key = node.op_type + " (" + kernel_names_[i] + ")";
      opts_.profile->seconds_by_op[key] += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      opts_.profile->calls_by_op[key]++;
    }
    ECO_CHECK(outs.size() >= 1, "{}: kernel produced no output", node.describe());
    if (planned) {
      // An output inside the arena that is neither its own slice nor a declared view (a kernel
      // returning its input unchanged, say) would be overwritten when that slice is reused:
      // give it storage of its own.
      const auto& mine = plan_.outputs_by_node[i];
      for (size_t o = 0; o < outs.size(); ++o) {
        if (!outs[o].storage_within(plan_.arena)) continue;
        const bool own_slice = o < mine.size() && mine[o].defined() && outs[o].raw() == mine[o].raw();
        if (!own_slice && !(o == 0 && st.schema->output_views_input)) outs[o] = outs[o].clone();
      }
    }
    for (size_t o = 0; o < st.out_slots.size() && o < outs.size(); ++o)
      if (st.out_slots[o] >= 0) slots_[st.out_slots[o]] = std::move(outs[o]);
    for (int s : st.free_after) slots_[s] = Tensor();
  };
  for (size_t i = 0; i < steps_.size(); ++i) {
    try {
      run_step(i);
    } catch (...) {
      rethrow_in_node(graph_, graph_.nodes[i]);
    }
  }
  std::vector<Tensor> result;
  for (int s : output_slots_) {
    // The next run reuses the arena: what the caller keeps must not live there.
    const bool in_arena = !plan_.outputs_by_node.empty() && slots_[s].storage_within(plan_.arena);
    result.push_back(in_arena ? slots_[s].clone() : slots_[s]);
  }
  for (int s : output_slots_)
    if (!slot_is_const_[s]) slots_[s] = Tensor();
  for (int s : input_slots_) slots_[s] = Tensor();
  return result;
}

std::unordered_map<std::string, TensorMeta> infer_shapes(const Graph& g, const std::vector<Shape>& input_shapes,
                                                         std::deque<Tensor>& keep_alive) {
  ECO_CHECK(input_shapes.size() == g.inputs.size(), "shape inference needs {} input shape(s), {} given",
            g.inputs.size(), input_shapes.size());
  std::unordered_map<std::string, TensorMeta> meta;
  for (auto& [name, t] : g.initializers) meta[name] = TensorMeta{t.dtype(), t.shape(), &t};
  for (size_t i = 0; i < g.inputs.size(); ++i) meta[g.inputs[i].name] = TensorMeta{g.inputs[i].dtype, input_shapes[i], nullptr};
  // Values computed here must outlive the map.
  std::deque<Tensor>& store = keep_alive;  // a deque: pointers to its elements stay valid as it grows
  auto infer_node = [&](const Node& n) {
    const OpSchema* s = find_op(n.domain, n.op_type);
    ECO_CHECK(s, "unsupported operator '{}' at node '{}'", n.op_type, n.name);
    std::vector<TensorMeta> in;
    bool all_const = true;
    int64_t in_elems = 0;
    for (auto& name : n.inputs) {
      if (name.empty()) {
        in.push_back(TensorMeta{DType::f32, {}, nullptr});
        continue;
      }
      auto it = meta.find(name);
      ECO_CHECK(it != meta.end(), "{}: input '{}' is unknown", n.describe(), name);
      in.push_back(it->second);
      if (!it->second.value) all_const = false;
      in_elems = std::min<int64_t>(in_elems + shape_numel(it->second.shape), int64_t{1} << 40);  // saturate
    }
    std::vector<TensorMeta> out;
    // Small constant subgraphs (shape arithmetic) are evaluated exactly.
    const bool evaluate = (all_const && in_elems <= (1 << 20)) || !s->infer || s->value_from_shapes;
    const bool exact = all_const || s->value_from_shapes;
    if (evaluate) {
      std::vector<Tensor> zeros;  // stand-ins for non-constant inputs of ops without a shape rule
      zeros.reserve(in.size());
      OpContext ctx{n, {}, 1, nullptr};
      for (size_t i = 0; i < in.size(); ++i) {
        if (n.inputs[i].empty()) ctx.inputs.push_back(nullptr);
        else if (in[i].value) ctx.inputs.push_back(in[i].value);
        else {
          zeros.push_back(Tensor::zeros(in[i].dtype, in[i].shape));
          ctx.inputs.push_back(&zeros.back());
        }
      }
      std::vector<Tensor> res = s->reference(ctx);
      for (auto& t : res) {
        store.push_back(std::move(t));
        out.push_back(TensorMeta{store.back().dtype(), store.back().shape(), exact ? &store.back() : nullptr});
      }
    } else {
      out = s->infer(n, in);
    }
    for (size_t o = 0; o < n.outputs.size() && o < out.size(); ++o)
      if (!n.outputs[o].empty()) meta[n.outputs[o]] = out[o];
  };
  for (const Node& n : g.nodes) {
    try {
      infer_node(n);
    } catch (...) {
      rethrow_in_node(g, n);
    }
  }
  return meta;
}

std::vector<int64_t> count_macs_per_node(const Graph& g, const std::vector<Shape>& input_shapes) {
  std::deque<Tensor> keep;
  auto meta = infer_shapes(g, input_shapes, keep);
  std::vector<int64_t> macs(g.nodes.size(), 0);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    const OpSchema* s = find_op(n.domain, n.op_type);
    if (!s->macs) continue;
    std::vector<TensorMeta> in, out;
    for (auto& name : n.inputs) in.push_back(name.empty() ? TensorMeta{} : meta.at(name));
    for (auto& name : n.outputs) out.push_back(name.empty() ? TensorMeta{} : meta.at(name));
    macs[i] = s->macs(n, in, out);
  }
  return macs;
}

int64_t count_macs(const Graph& g, const std::vector<Shape>& input_shapes) {
  int64_t total = 0;
  for (int64_t m : count_macs_per_node(g, input_shapes)) total += m;
  return total;
}

}  // namespace ecoinfer
