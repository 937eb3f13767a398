// What oneDNN's matmul reaches on this machine for the matrix products of one training step
// of a dense network: the GEMM bound that bench/run.sh compares nnrun's epoch time with.
//   nnrun_bench_matmul_peak [--threads T] [--batch N] [--widths 784,256,128,10]
//                           [--dtype f32|bf16] [--inner-product] [--ms M]
// Per step of an MLP with widths w0..wL and batch N there are L forward products
// [N,w_i] x [w_i,w_i+1], L weight-gradient products [w_i+1,N] x [N,w_i] and L - 1
// data-gradient products [N,w_i+1] x [w_i+1,w_i] (none for the first layer), all in plain
// row-major layouts, as a training step meets them. Each is timed alone (best of several
// rounds of M / 10 ms), with T threads and with one (nnrun runs small products on one
// thread), and the faster counts; the last line, for scripts, sums them (step_us_median sums
// each product's median round instead of its best):
//   RESULT step_us=... step_gflop=... peak_gflops=... step_us_median=...
// --inner-product times oneDNN's inner_product primitives on the same products instead
// (forward, backward_data, backward_weights), for comparison; bf16 takes bf16 sources and
// weights and writes f32.
#include <omp.h>
#include <oneapi/dnnl/dnnl.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;
using Clock = std::chrono::steady_clock;

struct Options {
  int threads = 2;
  std::int64_t batch = 128;
  std::vector<std::int64_t> widths{784, 256, 128, 10};
  dt type = dt::f32;
  bool inner_product = false;
  bool fpmath_bf16 = false;  // f32 buffers, products computed in bf16 (oneDNN fpmath_mode)
  double ms = 300;           // time spent per product
};

// One product to time: dst[M,N] = A[M,K] x B[K,N], A and B possibly stored transposed.
struct Product {
  std::string name;
  std::int64_t m, k, n;
  bool a_transposed, b_transposed;
  double flops() const { return 2.0 * static_cast<double>(m * k * n); }
};

std::vector<Product> step_products(const Options& o) {
  std::vector<Product> products;
  const std::int64_t n = o.batch;
  for (std::size_t i = 0; i + 1 < o.widths.size(); ++i) {
    const std::int64_t in = o.widths[i], out = o.widths[i + 1];
    const std::string layer = std::to_string(in) + "->" + std::to_string(out);
    // dst[N,out] = src[N,in] x W^T, W stored [out,in]
    products.push_back({"forward " + layer, n, in, out, false, true});
    // dW[out,in] = ddst^T x src, ddst stored [N,out]
    products.push_back({"dweights " + layer, out, n, in, true, false});
    // dsrc[N,in] = ddst[N,out] x W[out,in]; the first layer needs none
    if (i > 0) products.push_back({"dsrc " + layer, n, out, in, false, false});
  }
  return products;
}

// Plain [rows, cols] descriptor, or the transposed view of a [cols, rows] buffer.
memory::desc plain(std::int64_t rows, std::int64_t cols, dt type, bool transposed) {
  return {{rows, cols}, type, transposed ? tag::ba : tag::ab};
}

struct Prepared {
  dnnl::primitive primitive;
  std::unordered_map<int, memory> args;
};

Prepared matmul(const Product& p, dt type, bool fpmath_bf16, const dnnl::engine& eng) {
  const dnnl::matmul::desc desc(plain(p.m, p.k, type, p.a_transposed),
                                plain(p.k, p.n, type, p.b_transposed),
                                plain(p.m, p.n, dt::f32, false));
  dnnl::primitive_attr attr;
  if (fpmath_bf16) attr.set_fpmath_mode(dnnl::fpmath_mode::bf16);
  const dnnl::matmul::primitive_desc pd(desc, attr, eng);
  return {dnnl::matmul(pd),
          {{DNNL_ARG_SRC, memory(pd.src_desc(), eng)},
           {DNNL_ARG_WEIGHTS, memory(pd.weights_desc(), eng)},
           {DNNL_ARG_DST, memory(pd.dst_desc(), eng)}}};
}

// The same product as the inner_product primitive a dense layer would use for it.
Prepared inner_product(const Product& p, dt type, const dnnl::engine& eng) {
  const auto pk = dnnl::prop_kind::forward_training;
  const bool dweights = p.a_transposed, dsrc = !p.a_transposed && !p.b_transposed;
  // Layer shapes: batch, in, out.
  const std::int64_t batch = dweights ? p.k : p.m;
  const std::int64_t in = dweights ? p.n : (dsrc ? p.n : p.k);
  const std::int64_t out = dweights ? p.m : (dsrc ? p.k : p.n);
  const memory::desc src({batch, in}, type, tag::nc), w({out, in}, type, tag::oi),
      d({batch, out}, type == dt::bf16 && !dweights ? dt::f32 : type, tag::nc);
  const memory::desc dst_f32({batch, out}, dt::f32, tag::nc);
  const dnnl::inner_product_forward::primitive_desc hint({pk, src, w, dst_f32}, eng);
  if (dweights) {
    const memory::desc dw({out, in}, dt::f32, tag::oi);
    const dnnl::inner_product_backward_weights::primitive_desc pd({src, dw, d}, eng, hint);
    return {dnnl::inner_product_backward_weights(pd),
            {{DNNL_ARG_SRC, memory(pd.src_desc(), eng)},
             {DNNL_ARG_DIFF_DST, memory(pd.diff_dst_desc(), eng)},
             {DNNL_ARG_DIFF_WEIGHTS, memory(pd.diff_weights_desc(), eng)}}};
  }
  if (dsrc) {
    const memory::desc ddst({batch, out}, type, tag::nc), ds({batch, in}, dt::f32, tag::nc);
    const dnnl::inner_product_backward_data::primitive_desc pd({ds, w, ddst}, eng, hint);
    return {dnnl::inner_product_backward_data(pd),
            {{DNNL_ARG_DIFF_DST, memory(pd.diff_dst_desc(), eng)},
             {DNNL_ARG_WEIGHTS, memory(pd.weights_desc(), eng)},
             {DNNL_ARG_DIFF_SRC, memory(pd.diff_src_desc(), eng)}}};
  }
  const dnnl::inner_product_forward::primitive_desc pd({pk, src, w, dst_f32}, eng);
  return {dnnl::inner_product_forward(pd),
          {{DNNL_ARG_SRC, memory(pd.src_desc(), eng)},
           {DNNL_ARG_WEIGHTS, memory(pd.weights_desc(), eng)},
           {DNNL_ARG_DST, memory(pd.dst_desc(), eng)}}};
}

// Per-call time of one product over ten rounds, in seconds: the best round is the peak (the
// GEMM bound); the median round shows how much of a step's distance from that bound is the
// machine's own variation, which a step measured over a whole epoch cannot escape.
struct ProductTime {
  double best = 1e30, median = 1e30;
};

// Fills every argument with small values (zero pages would flatter nothing, but keep the
// data realistic) and times it.
ProductTime time_product(Prepared& prep, dnnl::stream& stream, double ms) {
  for (auto& [id, mem] : prep.args) {
    const std::size_t bytes = mem.get_desc().get_size();
    auto* data = static_cast<unsigned char*>(mem.get_data_handle());
    for (std::size_t i = 0; i < bytes; ++i) data[i] = static_cast<unsigned char>(0x3c ^ (i % 7));
  }
  auto run = [&] {
    prep.primitive.execute(stream, prep.args);
    stream.wait();
  };
  for (int i = 0; i < 10; ++i) run();  // warm-up: JIT, caches, thread pool
  const auto round_budget = std::chrono::duration<double>(ms / 10 / 1e3);
  std::vector<double> rounds;
  for (int round = 0; round < 10; ++round) {
    const auto start = Clock::now();
    int calls = 0;
    do {
      run();
      ++calls;
    } while (Clock::now() - start < round_budget);
    rounds.push_back(std::chrono::duration<double>(Clock::now() - start).count() / calls);
  }
  std::sort(rounds.begin(), rounds.end());
  return {rounds.front(), (rounds[4] + rounds[5]) / 2};
}

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--threads" && has_value) {
      o.threads = std::atoi(argv[++i]);
    } else if (arg == "--batch" && has_value) {
      o.batch = std::atoll(argv[++i]);
    } else if (arg == "--ms" && has_value) {
      o.ms = std::atof(argv[++i]);
    } else if (arg == "--dtype" && has_value) {
      const std::string v = argv[++i];
      if (v != "f32" && v != "bf16") return false;
      o.type = v == "bf16" ? dt::bf16 : dt::f32;
    } else if (arg == "--widths" && has_value) {
      o.widths.clear();
      std::stringstream list(argv[++i]);
      for (std::string item; std::getline(list, item, ',');) o.widths.push_back(std::stoll(item));
    } else if (arg == "--fpmath-bf16") {
      o.fpmath_bf16 = true;
    } else if (arg == "--inner-product") {
      o.inner_product = true;
    } else {
      return false;
    }
  }
  return o.threads > 0 && o.batch > 0 && o.widths.size() >= 2 && o.ms > 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    std::fprintf(stderr,
                 "usage: %s [--threads T] [--batch N] [--widths 784,256,128,10] "
                 "[--dtype f32|bf16] [--inner-product] [--ms M]\n",
                 argv[0]);
    return 2;
  }
  omp_set_num_threads(o.threads);
  try {
    dnnl::engine eng(dnnl::engine::kind::cpu, 0);
    dnnl::stream stream(eng);
    const char* type = o.type == dt::bf16 ? "bf16" : o.fpmath_bf16 ? "f32 (fpmath bf16)" : "f32";
    std::printf("oneDNN %s %s, %d threads, batch %lld\n",
                o.inner_product ? "inner_product" : "matmul", type, o.threads,
                static_cast<long long>(o.batch));
    std::printf("%-22s %6s %6s %6s %10s %9s %8s %10s\n", "product", "M", "K", "N", "us", "GFLOP/s",
                "threads", "median us");
    double step_seconds = 0, step_median_seconds = 0, step_flops = 0;
    for (const Product& p : step_products(o)) {
      ProductTime time;
      int best_threads = o.threads;
      for (const int threads : {o.threads, 1}) {
        if (threads == 1 && o.threads == 1 && time.best < 1e30) break;  // timed already
        omp_set_num_threads(threads);  // oneDNN sizes a primitive for the threads it sees
        Prepared prep =
            o.inner_product ? inner_product(p, o.type, eng) : matmul(p, o.type, o.fpmath_bf16, eng);
        const ProductTime t = time_product(prep, stream, o.ms);
        if (t.best < time.best) {
          time = t;
          best_threads = threads;
        }
      }
      omp_set_num_threads(o.threads);
      step_seconds += time.best;
      step_median_seconds += time.median;
      step_flops += p.flops();
      std::printf("%-22s %6lld %6lld %6lld %10.2f %9.1f %8d %10.2f\n", p.name.c_str(),
                  static_cast<long long>(p.m), static_cast<long long>(p.k),
                  static_cast<long long>(p.n), time.best * 1e6, p.flops() / time.best / 1e9,
                  best_threads, time.median * 1e6);
    }
    std::printf("one step's products: %.1f us, %.4f GFLOP, %.1f GFLOP/s (median rounds: %.1f us)\n",
                step_seconds * 1e6, step_flops / 1e9, step_flops / step_seconds / 1e9,
                step_median_seconds * 1e6);
    std::printf("RESULT step_us=%.3f step_gflop=%.6f peak_gflops=%.2f step_us_median=%.3f\n",
                step_seconds * 1e6, step_flops / 1e9, step_flops / step_seconds / 1e9,
                step_median_seconds * 1e6);
  } catch (const dnnl::error& e) {
    std::fprintf(stderr, "oneDNN error: %s (status %d)\n", e.what(), static_cast<int>(e.status));
    return 1;
  }
  return 0;
}
