//===- attn-run.cpp - Attn JIT runner, checker and benchmark --------------===//
//
// Runs one function of an MLIR file on the host CPU: lowers it with
// `attn-cpu-pipeline`, JIT-compiles it and calls it through the same C entry
// that attn-compile exports (or calls that entry in a library attn-compile
// wrote, with `--library`), feeds it `.npy` inputs or seeded random data,
// writes its results as `.npy`, compares them with the float64 reference
// evaluated on the input IR (`--check`) and measures it (`--bench`). The
// work is done by lib/Execution (attn/Execution/Execution.h).
//
// Exit status: 0 on success, 1 on any error or a failed check, 2 when
// `--check` has no reference for the function (never a fake PASS).
//
//===----------------------------------------------------------------------===//

#include "Distributed.h"

#include "attn/Execution/Execution.h"
#include "attn/Pipelines/PipelineFlags.h"
#include "attn/Pipelines/Pipelines.h"
#include "attn/Tools/ToolSupport.h"
#include "attn/Transforms/Passes.h"
#include "attn/Transforms/Transforms.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <optional>

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::runtime;
namespace cl = llvm::cl;

static cl::OptionCategory runCategory("attn-run options");

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<input.mlir>"),
                                      cl::Required, cl::cat(runCategory));
static cl::opt<std::string> entryName("entry", cl::desc("Function to run"),
                                      cl::value_desc("name"), cl::Required,
                                      cl::cat(runCategory));
static cl::list<std::string>
    inputPaths("inputs", cl::desc("Comma-separated .npy files, one per "
                                  "argument (default: seeded random data)"),
               cl::CommaSeparated, cl::cat(runCategory));
static cl::list<std::string>
    outputPaths("outputs",
                cl::desc("Comma-separated .npy files, one per result"),
                cl::CommaSeparated, cl::cat(runCategory));
static cl::opt<unsigned> seed("seed", cl::desc("Seed of the random inputs"),
                              cl::init(0), cl::cat(runCategory));
static cl::opt<bool>
    check("check", cl::desc("Compare every result with the float64 reference"),
          cl::cat(runCategory));
static cl::opt<bool> bench("bench",
                           cl::desc("Report median time, GFLOP/s and peak "
                                    "memory"),
                           cl::cat(runCategory));
static cl::opt<unsigned> repeat("repeat",
                                cl::desc("Timed runs for --bench (median)"),
                                cl::init(10), cl::cat(runCategory));
enum class BenchFormat { Text, Json };
static cl::opt<BenchFormat> benchFormat(
    "bench-format", cl::desc("Output format of --bench"),
    cl::values(clEnumValN(BenchFormat::Text, "text", "one line of text"),
               clEnumValN(BenchFormat::Json, "json", "one JSON object")),
    cl::init(BenchFormat::Text), cl::cat(runCategory));
static cl::opt<std::string> library(
    "library",
    cl::desc("Call the function's C entry in this shared library (written "
             "by attn-compile from the same file) instead of compiling it; "
             "the input IR still gives its signature and the reference"),
    cl::value_desc("out.so"), cl::cat(runCategory));
static cl::opt<std::string>
    target("target",
           cl::desc("Where the function runs: cpu (the default), or gpu "
                    "(attn-gpu-pipeline, on a CUDA GPU; exit status 2 "
                    "when there is none)"),
           cl::value_desc("cpu|gpu"), cl::init("cpu"), cl::cat(runCategory));
static cl::opt<std::string>
    chip("chip", cl::desc("GPU to compile for with --target=gpu"),
         cl::value_desc("sm_80|sm_90|sm_90a"), cl::init("sm_80"),
         cl::cat(runCategory));
static cl::opt<std::string> maxMemory(
    "max-memory",
    cl::desc("Refuse to run when the inputs, results, float64 reference "
             "(--check) and materialised scores (strategy=unfused) are "
             "estimated above this size (K/M/G/T, binary; default 3/4 of "
             "the physical memory; 0: no limit)"),
    cl::value_desc("size"), cl::cat(runCategory));
static cl::opt<std::string> distributedMode(
    "distributed",
    cl::desc("Run across the MPI ranks of mpirun: ring (attention split "
             "along the sequence, attn-distribute-ring; each rank takes its "
             "shard of the inputs, rank 0 gathers the results, checks and "
             "reports)"),
    cl::value_desc("ring"), cl::cat(runCategory));
static PipelineFlags pipelineFlags(runCategory);
/// `--threads=N`, taken out of argv before LLVM's parser sees it (see
/// extractThreadsArgument).
static int threads = 1;

static int fail(const Twine &message) {
  return reportToolError("attn-run", message);
}

static int fail(llvm::Error error) {
  return reportToolError("attn-run", std::move(error));
}

/// Milliseconds since `start`.
static double msSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - start)
      .count();
}

/// Prints the --bench line (or JSON object) for the median of `times`;
/// `compileMs`, when known, is the time from the input IR to callable code.
static void printBench(std::vector<double> times, double flops,
                       std::optional<double> compileMs) {
  std::sort(times.begin(), times.end());
  size_t n = times.size();
  double median =
      n % 2 ? times[n / 2] : 0.5 * (times[n / 2 - 1] + times[n / 2]);
  bool hasFlops = flops > 0;
  double gflops = hasFlops ? flops / (median * 1e6) : 0.0;
  double rss = getPeakRssMb();
  StringRef strategy = library.empty()
                           ? getStrategyName(pipelineFlags.strategy)
                           : StringRef("library");
  llvm::raw_ostream &os = llvm::outs();
  if (benchFormat == BenchFormat::Json) {
    os << "{\"entry\": \"" << entryName
       << "\", \"median_ms\": " << llvm::format("%.4f", median)
       << ", \"gflops\": ";
    if (hasFlops)
      os << llvm::format("%.3f", gflops);
    else
      os << "null";
    os << ", \"flops\": " << llvm::format("%.0f", flops)
       << ", \"peak_rss_mb\": " << llvm::format("%.1f", rss)
       << ", \"threads\": " << threads << ", \"strategy\": \"" << strategy
       << "\", \"repeat\": " << repeat;
    if (compileMs)
      os << ", \"compile_ms\": " << llvm::format("%.1f", *compileMs);
    os << "}\n";
    return;
  }
  os << "bench @" << entryName << ": median " << llvm::format("%.4f", median)
     << " ms over " << repeat << " runs, ";
  if (hasFlops)
    os << llvm::format("%.3f", gflops) << " GFLOP/s";
  else
    os << "GFLOP/s n/a (no attention or contraction to count)";
  os << ", peak RSS " << llvm::format("%.1f", rss) << " MB, threads "
     << threads << ", strategy " << strategy;
  if (compileMs)
    os << ", compiled in " << llvm::format("%.1f", *compileMs) << " ms";
  os << "\n";
}

/// Writes or prints the results, checks them against the reference and
/// benchmarks `timeOneCall` (one call, its time in ms); returns the exit
/// status.
static int
reportResults(const std::vector<HostBuffer> &results,
              const EvalResult &reference, ArrayRef<double> tolerances,
              ArrayRef<Type> resultTypes,
              function_ref<llvm::Expected<double>()> timeOneCall,
              bool runBench = true,
              std::optional<double> compileMs = std::nullopt) {
  for (auto [i, result] : llvm::enumerate(results)) {
    if (!outputPaths.empty()) {
      std::string error;
      if (!writeNpy(outputPaths[i], getNpyDescr(result.getKind()),
                    result.getShape(), result.getData(), result.getNumBytes(),
                    error))
        return fail(error);
    } else if (!bench) {
      llvm::outs() << "result #" << i << ": " << resultTypes[i] << " "
                   << formatShape(result.getShape()) << "\n";
      printHostBuffer(llvm::outs(), result);
    }
  }

  int status = 0;
  bool noReference = check && reference.status != EvalStatus::Ok;
  if (noReference)
    llvm::outs() << "check: no float64 reference: " << reference.message
                 << "\n";
  if (check && !noReference) {
    for (auto [i, result] : llvm::enumerate(results)) {
      ErrorStats stats = compareWithReference(result.toDouble(),
                                              reference.results[i].data);
      bool pass = !stats.hasNaN && stats.relFrobenius <= tolerances[i];
      llvm::outs() << "result #" << i << ": relative error "
                   << llvm::format("%.3e", stats.relFrobenius)
                   << " (max abs " << llvm::format("%.3e", stats.maxAbs)
                   << "), tolerance " << llvm::format("%.0e", tolerances[i])
                   << ": " << (pass ? "PASS" : "FAIL") << "\n";
      if (!pass)
        status = 1;
    }
  }

  if (bench && runBench) {
    std::vector<double> times;
    for (unsigned r = 0; r < repeat; ++r) {
      llvm::Expected<double> ms = timeOneCall();
      if (!ms)
        return fail(ms.takeError());
      times.push_back(*ms);
    }
    printBench(std::move(times), reference.status == EvalStatus::Ok
                                     ? reference.flops
                                     : 0.0,
               compileMs);
  }
  return noReference ? 2 : status;
}

/// --target=gpu: compiles with attn-gpu-pipeline, then, where a CUDA GPU
/// is present, runs on it (exit 2 where there is none).
static int runOnGpu(ModuleOp module, const EvalResult &reference,
                    const std::vector<HostBuffer> &inputs,
                    ArrayRef<double> tolerances, ArrayRef<Type> resultTypes) {
  AttnGPUPipelineOptions options;
  options.chip = chip;
  options.strategy = pipelineFlags.strategy.getValue();
  // The GPU's own tile defaults unless the sizes are given.
  if (pipelineFlags.tileQ.getNumOccurrences())
    options.tileQ = pipelineFlags.tileQ.getValue();
  if (pipelineFlags.tileKv.getNumOccurrences())
    options.tileKv = pipelineFlags.tileKv.getValue();
  if (llvm::Error err = validateAttnGPUPipelineOptions(options))
    return fail(std::move(err));
  auto compileStart = std::chrono::steady_clock::now();
  llvm::Expected<ExportedFunction> signature = CompiledFunction::lower(
      module, entryName,
      [&](OpPassManager &pm) { buildAttnGPUPipeline(pm, options); });
  if (!signature)
    return fail(signature.takeError());
  std::string reason;
  if (!probeGpu(reason)) {
    llvm::errs() << "attn-run: no CUDA GPU: " << reason << "\n";
    return 2;
  }
  llvm::Expected<CpuTarget> cpu = createCpuTarget("native");
  if (!cpu)
    return fail(cpu.takeError());
  std::string runtimePath = getCudaRuntimeLibraryPath();
  SmallVector<StringRef> libs = {runtimePath};
  llvm::Expected<std::unique_ptr<CompiledFunction>> compiled =
      CompiledFunction::jit(module, std::move(*signature), std::move(*cpu),
                            libs);
  if (!compiled)
    return fail(compiled.takeError());
  double compileMs = msSince(compileStart);
  llvm::Expected<std::vector<HostBuffer>> results =
      (*compiled)->callOnDevice(inputs);
  if (!results)
    return fail(results.takeError());
  return reportResults(*results, reference, tolerances, resultTypes,
                       [&]() -> llvm::Expected<double> {
                         double ms = 0;
                         llvm::Expected<std::vector<HostBuffer>> timed =
                             (*compiled)->callOnDevice(inputs, &ms);
                         if (!timed)
                           return timed.takeError();
                         return ms;
                       },
                       /*runBench=*/true, compileMs);
}

/// --distributed=ring: every rank takes its shard of the inputs, runs the
/// per-rank function of attn-distribute-ring, and rank 0 gathers, checks
/// and reports. With --bench, the time of a call is the slowest rank's.
static int runDistributed(const distributed::Session &session,
                          ModuleOp module, const EvalResult &reference,
                          const EvalResult &shapes,
                          const std::vector<HostBuffer> &inputs,
                          ArrayRef<double> tolerances,
                          ArrayRef<Type> resultTypes) {
  int rank = session.getRank(), numRanks = session.getSize();
  // The plan of the function as the pipeline sees it: raised and fused.
  PassManager pm(module.getContext());
  OpPassManager &funcPm = pm.nest<func::FuncOp>();
  addAttnRaisingPasses(funcPm);
  funcPm.addPass(createAttnDecomposeMhaPass());
  funcPm.addPass(createAttnFusePass());
  if (failed(pm.run(module)))
    return 1;
  std::string why;
  FailureOr<RingPlan> plan =
      getRingPlan(module.lookupSymbol<func::FuncOp>(entryName), why);
  if (failed(plan))
    return fail("--distributed=ring: cannot distribute @" + entryName + ": " +
                why);
  // The entry becomes the function of one rank before it is compiled, so
  // that its C entry takes the rank's shards.
  PassManager distribute(module.getContext());
  distribute.addPass(createAttnDistributeRingPass());
  if (failed(distribute.run(module)))
    return 1;
  auto rowsOfRank = [&](int64_t length) {
    std::vector<distributed::Rows> rows;
    for (int r = 0; r < numRanks; ++r)
      rows.push_back(ring::getRankRows(plan->layout, length, numRanks, r));
    return rows;
  };

  std::vector<HostBuffer> localInputs;
  for (auto [input, sharding] : llvm::zip_equal(inputs, plan->arguments)) {
    int64_t dim = sharding.sequence == RingPlan::Sequence::None
                      ? 0
                      : sharding.dim;
    distributed::Rows rows =
        sharding.sequence == RingPlan::Sequence::None
            ? distributed::Rows{{0, input.getShape()[0]}}
            : rowsOfRank(input.getShape()[dim])[rank];
    localInputs.push_back(distributed::takeRows(input, dim, rows));
  }

  llvm::Expected<CpuTarget> cpu = createCpuTarget("native");
  if (!cpu)
    return fail(cpu.takeError());
  AttnCPUPipelineOptions options;
  pipelineFlags.setPipelineOptions(options, threads, cpu->vectorBits);
  options.distribute = Distribution::Ring;
  llvm::Expected<std::unique_ptr<CompiledFunction>> compiled =
      CompiledFunction::compile(module, entryName, options, std::move(*cpu));
  if (!compiled)
    return fail(compiled.takeError());
  llvm::Expected<std::vector<HostBuffer>> local =
      (*compiled)->call(localInputs, /*runtimeChecks=*/false);
  if (!local)
    return fail(local.takeError());

  // Rank 0 gathers the sharded results; replicated ones are its own.
  std::vector<HostBuffer> results;
  for (auto [i, result] : llvm::enumerate(*local)) {
    RingPlan::Sharding sharding = plan->results[i];
    if (sharding.sequence == RingPlan::Sequence::None) {
      results.push_back(distributed::takeRows(
          result, 0, {{0, result.getShape()[0]}}));
      continue;
    }
    std::vector<int64_t> shape;
    auto type = cast<RankedTensorType>(resultTypes[i]);
    if (shapes.status == EvalStatus::Ok)
      shape = shapes.results[i].shape;
    else if (type.hasStaticShape())
      shape.assign(type.getShape().begin(), type.getShape().end());
    else
      return fail("--distributed=ring: the shape of result #" + Twine(i) +
                  " is unknown: " + shapes.message);
    HostBuffer full(result.getKind(), rank == 0 ? shape
                                                : std::vector<int64_t>{0});
    std::string error;
    if (!distributed::gatherRows(&full, result, sharding.dim,
                                 rowsOfRank(shape[sharding.dim]), error))
      return fail(error);
    results.push_back(std::move(full));
  }
  int status = 0;
  if (rank == 0)
    status = reportResults(results, reference, tolerances, resultTypes,
                           nullptr, /*runBench=*/false);

  if (bench) {
    std::vector<double> times, waits, busy;
    uint64_t bytes = 0;
    for (unsigned r = 0; r < repeat; ++r) {
      distributed::barrier();
      distributed::getCounters() = {};
      auto start = std::chrono::steady_clock::now();
      llvm::Expected<std::vector<HostBuffer>> timed =
          (*compiled)->call(localInputs, /*runtimeChecks=*/false);
      auto stop = std::chrono::steady_clock::now();
      if (!timed)
        return fail(timed.takeError());
      double ms = std::chrono::duration<double, std::milli>(stop - start)
                      .count();
      double waitMs = 1e3 * distributed::getCounters().waitSeconds;
      times.push_back(distributed::maxOverRanks(ms));
      waits.push_back(distributed::maxOverRanks(waitMs));
      // This rank's own work: the call less its waiting.
      busy.push_back(ms - waitMs);
      bytes = distributed::getCounters().bytesSent;
    }
    double rss = distributed::maxOverRanks(getPeakRssMb());
    double maxBytes = distributed::maxOverRanks(double(bytes));
    auto median = [](std::vector<double> v) {
      std::sort(v.begin(), v.end());
      size_t n = v.size();
      return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    };
    // Load balance: the busiest rank's work over the mean rank's.
    double myBusy = median(busy);
    double maxBusy = distributed::maxOverRanks(myBusy);
    double meanBusy = distributed::sumOverRanks(myBusy) / numRanks;
    if (rank == 0) {
      double time = median(times), wait = median(waits);
      double flops =
          reference.status == EvalStatus::Ok ? reference.flops : shapes.flops;
      llvm::raw_ostream &os = llvm::outs();
      os << "bench @" << entryName << ": " << numRanks << " ranks ("
         << (plan->decode ? "decode, keys split"
                          : Twine("ring, ") +
                                ring::getLayoutName(plan->layout) +
                                " layout")
         << "), median " << llvm::format("%.4f", time)
         << " ms over " << repeat << " runs (slowest rank), ";
      if (flops > 0)
        os << llvm::format("%.3f", flops / (time * 1e6)) << " GFLOP/s";
      else
        os << "GFLOP/s n/a";
      os << ", communication wait " << llvm::format("%.4f", wait) << " ms ("
         << llvm::format("%.1f", time > 0 ? 100.0 * wait / time : 0.0)
         << "%), " << llvm::format("%.3f", maxBytes / 1e6)
         << " MB sent per rank (max), busy (call less wait) max "
         << llvm::format("%.4f", maxBusy) << " ms / mean "
         << llvm::format("%.4f", meanBusy) << " ms (imbalance "
         << llvm::format("%.2f", meanBusy > 0 ? maxBusy / meanBusy : 1.0)
         << "), peak RSS " << llvm::format("%.1f", rss)
         << " MB (max over ranks), threads " << threads << ", strategy "
         << getStrategyName(pipelineFlags.strategy) << "\n";
    }
  }
  return distributed::maxOverRanks(status);
}

static int runMain(MLIRContext &context) {
  if (llvm::Error err = pipelineFlags.validate(threads))
    return fail(std::move(err));
  if (repeat < 1)
    return fail("--repeat must be >= 1");
  if (target != "cpu" && target != "gpu")
    return fail("unknown --target '" + target + "': expected cpu or gpu");
  if (target == "gpu" && !library.empty())
    return fail("--library calls a CPU library; it cannot be combined with "
                "--target=gpu");
  bool isDistributed = distributedMode.getNumOccurrences() > 0;
  if (isDistributed) {
    if (distributedMode != "ring")
      return fail("unknown --distributed '" + distributedMode +
                  "': expected ring");
    if (!distributed::isAvailable())
      return fail("--distributed=ring: attn-run was built without MPI "
                  "(install libopenmpi-dev and rebuild)");
    if (target != "cpu" || !library.empty())
      return fail("--distributed=ring runs the CPU pipeline; it cannot be "
                  "combined with --target=gpu or --library");
  }
  // MPI_Init before anything else, MPI_Finalize after everything.
  std::optional<distributed::Session> session;
  if (isDistributed)
    session.emplace();
  bool isRankZero = !session || session->getRank() == 0;

  // Parse and verify.
  std::unique_ptr<ToolInput> input =
      ToolInput::load(inputFile, "attn-run", context);
  if (!input)
    return 1;
  ModuleOp module = input->getModule();
  auto func = module.lookupSymbol<func::FuncOp>(entryName);
  if (!func || func.isExternal())
    return fail("no function named '@" + entryName + "' with a body in " +
                inputFile);

  // Arguments and results are ranked tensors of the runtime's kinds.
  auto checkTypes = [&](TypeRange types, StringRef what) {
    for (auto [i, type] : llvm::enumerate(types)) {
      auto tensor = dyn_cast<RankedTensorType>(type);
      if (!tensor || !getElementKind(tensor.getElementType())) {
        std::string typeStr;
        llvm::raw_string_ostream(typeStr) << type;
        func.emitError() << what << " #" << i << " has type " << typeStr
                         << ": attn-run supports ranked tensors of f32, f16, "
                            "bf16, f64, i32, i64 and i1";
        return false;
      }
    }
    return true;
  };
  if (!checkTypes(func.getArgumentTypes(), "argument") ||
      !checkTypes(func.getResultTypes(), "result"))
    return 1;
  unsigned numArgs = func.getNumArguments(), numResults = func.getNumResults();
  if (!inputPaths.empty() && inputPaths.size() != numArgs)
    return fail("--inputs has " + Twine(inputPaths.size()) + " files but @" +
                entryName + " takes " + Twine(numArgs) + " argument(s)");
  if (!outputPaths.empty() && outputPaths.size() != numResults)
    return fail("--outputs has " + Twine(outputPaths.size()) +
                " files but @" + entryName + " returns " + Twine(numResults) +
                " result(s)");

  // Memory: everything the run holds is sized from the shapes before any
  // of it is allocated, and a run above --max-memory is refused.
  uint64_t memoryLimit = getDefaultMemoryLimit();
  if (maxMemory.getNumOccurrences()) {
    std::optional<uint64_t> parsed = parseByteSize(maxMemory);
    if (!parsed)
      return fail("--max-memory expects a size such as 512M or 16G, got '" +
                  maxMemory + "'");
    memoryLimit = *parsed;
  }
  auto overLimit = [&](double bytes) {
    return memoryLimit != 0 && bytes > static_cast<double>(memoryLimit);
  };
  auto typeString = [](Type type) {
    std::string s;
    llvm::raw_string_ostream(s) << type;
    return s;
  };
  MemoryEstimate estimate;

  // Inputs: the .npy files (sized on disk before they are read) now, the
  // random data once the whole run is known to fit.
  std::vector<std::optional<HostBuffer>> loaded(numArgs);
  std::vector<std::vector<int64_t>> argShapes(numArgs);
  for (unsigned i = 0; i < numArgs; ++i) {
    auto type = cast<RankedTensorType>(func.getArgumentTypes()[i]);
    if (!inputPaths.empty()) {
      uint64_t fileSize = 0;
      if (!llvm::sys::fs::file_size(inputPaths[i], fileSize) &&
          overLimit(2.0 * fileSize))
        return fail(inputPaths[i] + ": " + formatBytes(fileSize) +
                    " is more than half of --max-memory=" +
                    formatBytes(memoryLimit));
      llvm::Expected<HostBuffer> input = loadInput(inputPaths[i], i, type);
      if (!input)
        return fail(input.takeError());
      argShapes[i] = input->getShape();
      estimate.inputs += input->getNumBytes();
      loaded[i] = std::move(*input);
      continue;
    }
    if (!type.hasStaticShape())
      return fail(makeRandomInput(func.getArgument(i), seed).takeError());
    argShapes[i].assign(type.getShape().begin(), type.getShape().end());
    std::optional<uint64_t> bytes = getDataByteSize(
        *getElementKind(type.getElementType()), argShapes[i]);
    if (!bytes) {
      func.emitError() << "argument #" << i << " of type "
                       << typeString(type)
                       << " has more than 2^63 - 1 bytes";
      return 1;
    }
    estimate.inputs += *bytes;
  }

  // The actual shapes through the input IR: catches inconsistent dynamic
  // sizes before compiled code reads out of bounds, counts FLOPs and sizes
  // the results and the reference.
  FailureOr<EvalResult> shapes = evaluateShapes(module, entryName, argShapes);
  if (failed(shapes))
    return 1;
  if (shapes->status == EvalStatus::Invalid)
    return fail(shapes->message);
  for (auto [i, type] : llvm::enumerate(func.getResultTypes())) {
    auto tensorType = cast<RankedTensorType>(type);
    std::vector<int64_t> shape;
    if (shapes->status == EvalStatus::Ok)
      shape = shapes->results[i].shape;
    else if (tensorType.hasStaticShape())
      shape.assign(tensorType.getShape().begin(), tensorType.getShape().end());
    else
      continue; // Unknown until the compiled code runs.
    ElementKind kind = *getElementKind(tensorType.getElementType());
    std::optional<uint64_t> bytes = getDataByteSize(kind, shape);
    if (!bytes) {
      func.emitError() << "result #" << i << " of shape "
                       << formatShape(shape) << " has more than 2^63 - 1 bytes";
      return 1;
    }
    estimate.results += *bytes;
    if (check) // The float64 copy compared with the reference.
      estimate.reference += 8.0 * (*bytes / getElementByteSize(kind));
  }
  if (check)
    estimate.reference += shapes->referenceBytes;
  if (library.empty() && target == "cpu" &&
      pipelineFlags.strategy == Strategy::Unfused)
    estimate.workspace = 2 * 4 * shapes->scoreElements; // Scores, then exp.
  if (overLimit(estimate.getTotal())) {
    func.emitError() << "running @" << entryName << " needs about "
                     << estimate.describe() << ", more than --max-memory="
                     << formatBytes(memoryLimit)
                     << " (pass a larger --max-memory, or 0 for no limit)";
    return 1;
  }

  std::vector<HostBuffer> inputs;
  for (unsigned i = 0; i < numArgs; ++i) {
    if (loaded[i]) {
      inputs.push_back(std::move(*loaded[i]));
      continue;
    }
    llvm::Expected<HostBuffer> input =
        makeRandomInput(func.getArgument(i), seed);
    if (!input)
      return fail(input.takeError());
    inputs.push_back(std::move(*input));
  }

  // The float64 reference, when asked for.
  // (Across ranks, only rank 0 checks.)
  EvalResult shapesCopy = *shapes;
  FailureOr<EvalResult> reference =
      check && isRankZero ? evaluateReference(module, entryName, inputs,
                                              /*computeValues=*/true)
                          : std::move(shapes);
  if (failed(reference))
    return 1;
  if (reference->status == EvalStatus::Invalid)
    return fail(reference->message);
  // Without a reference nothing has checked that dynamic sizes agree:
  // compiled code then verifies them itself before reading.
  bool runtimeChecks =
      reference->status != EvalStatus::Ok &&
      llvm::any_of(func.getArgumentTypes(), [](Type t) {
        return !cast<RankedTensorType>(t).hasStaticShape();
      });
  SmallVector<Type> resultTypes(func.getResultTypes());
  SmallVector<double> tolerances;
  for (Type type : resultTypes)
    tolerances.push_back(getTolerance(func, type));

  if (session)
    return runDistributed(*session, module, *reference, shapesCopy, inputs,
                          tolerances, resultTypes);

  if (target == "gpu")
    return runOnGpu(module, *reference, inputs, tolerances,
                    SmallVector<Type>(resultTypes));

  // Compile (`func` is lowered away after this point) or load.
  auto compileOrLoad =
      [&]() -> llvm::Expected<std::unique_ptr<CompiledFunction>> {
    if (!library.empty())
      return CompiledFunction::load(module, entryName, library);
    llvm::Expected<CpuTarget> cpu = createCpuTarget("native");
    if (!cpu)
      return cpu.takeError();
    AttnCPUPipelineOptions options;
  pipelineFlags.setPipelineOptions(options, threads, cpu->vectorBits);
    options.runtimeChecks = runtimeChecks;
    return CompiledFunction::compile(module, entryName, options,
                                     std::move(*cpu));
  };
  auto compileStart = std::chrono::steady_clock::now();
  llvm::Expected<std::unique_ptr<CompiledFunction>> compiled =
      compileOrLoad();
  if (!compiled)
    return fail(compiled.takeError());
  double compileMs = msSince(compileStart);

  llvm::Expected<std::vector<HostBuffer>> results =
      (*compiled)->call(inputs, runtimeChecks);
  if (!results)
    return fail(results.takeError());

  return reportResults(*results, *reference, tolerances, resultTypes,
                       [&]() -> llvm::Expected<double> {
                         auto start = std::chrono::steady_clock::now();
                         llvm::Expected<std::vector<HostBuffer>> timed =
                             (*compiled)->call(inputs, runtimeChecks);
                         auto stop = std::chrono::steady_clock::now();
                         if (!timed)
                           return timed.takeError();
                         return std::chrono::duration<double, std::milli>(
                                    stop - start)
                             .count();
                       },
                       /*runBench=*/true, compileMs);
}

static constexpr const char *overview =
    "JIT-compile one function with attn-cpu-pipeline, run it, check it "
    "against the float64 reference and benchmark it";

int main(int argc, char **argv) {
  return runToolMain(argc, argv, "attn-run", runCategory, overview, threads,
                     runMain);
}
