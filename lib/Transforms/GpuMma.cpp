//===- GpuMma.cpp - QKᵀ and P·V on tensor cores ---------------------------===//
//
// The tensor-core rung of the GPU path, in two halves:
//
// - On tensors (called by attn-gpu-distribute), a contraction of a GPU block
//   whose operands are f16 or bf16 (or f32 scaled queries / probabilities
//   next to f16/bf16 keys or values) and whose sizes are multiples of the
//   mma.sync shape m16n8k16 gets its f32 operand rounded to the 16-bit type
//   (once per value, by its producer when possible), and
//   is tiled, through its TilingInterface, into an scf.forall over warps
//   (`#gpu.warp<linear_dim_*>`): each warp owns a (16·a) × (8·b) block of
//   the result and the whole reduction. The tile is marked `attn.mma`.
//
// - On buffers, inside a gpu.launch (pass attn-gpu-mma), each marked tile
//   becomes per-lane fragment loads (ldmatrix for an operand in a shared
//   buffer), one mma.sync per 16x8x16 step (nvgpu.mma.sync for f16,
//   nvvm.mma.sync on i32-packed operands for bf16) and fragment stores, at
//   the coordinates of upstream's nvgpu MMA utilities. (Upstream
//   convertVectorToNVVMCompatibleMMASync on warp-level vector.contract was
//   the first choice; in MLIR 22 its slice analysis takes the kernel's
//   index arithmetic and unrelated scalar ops into a contraction's slice
//   and fails on them.)
//
//===----------------------------------------------------------------------===//

#include "attn/Transforms/Passes.h"
#include "attn/Transforms/Transforms.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/NVGPU/Utils/MMAUtils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/Support/DebugLog.h"

#define DEBUG_TYPE "attn-gpu-mma"

namespace mlir {
namespace attn {
#define GEN_PASS_DEF_ATTNGPUMMAPASS
#include "attn/Transforms/Passes.h.inc"
} // namespace attn
} // namespace mlir

using namespace mlir;
using namespace mlir::attn;

/// The mma.sync shape every tile is made of.
static constexpr int64_t kMmaM = 16, kMmaN = 8, kMmaK = 16;

StringRef mlir::attn::getMmaTileAttrName() { return "attn.mma"; }

/// The shape of a contraction that can run on tensor cores: loops
/// (batch..., m, n, k) with unit batch loops, the lhs indexed (..., m, k),
/// the rhs (..., n, k) or (..., k, n), the result (..., m, n).
struct MmaContraction {
  unsigned m, n, k;
  bool rhsKMajor; // rhs indexed (..., k, n)
};

/// Whether the last two results of `map` are the loops `a`, `b` and the
/// others are batch loops (`batch`), in order.
static bool endsWith(AffineMap map, ArrayRef<unsigned> batch, unsigned a,
                     unsigned b) {
  if (map.getNumResults() != batch.size() + 2)
    return false;
  for (auto [i, d] : llvm::enumerate(batch))
    if (map.getResult(i) != getAffineDimExpr(d, map.getContext()))
      return false;
  return map.getResult(batch.size()) == getAffineDimExpr(a, map.getContext()) &&
         map.getResult(batch.size() + 1) ==
             getAffineDimExpr(b, map.getContext());
}

/// Matches a contraction of a flash block that tensor cores can compute, or
/// returns why not in `why`.
static FailureOr<MmaContraction> matchMmaContraction(linalg::LinalgOp op,
                                                     std::string &why) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !linalg::isaContractionOpInterface(op))
    return why = "not a contraction", failure();
  Type lhsType = getElementTypeOrSelf(op.getDpsInputOperand(0)->get());
  Type rhsType = getElementTypeOrSelf(op.getDpsInputOperand(1)->get());
  Type resType = getElementTypeOrSelf(op.getDpsInitOperand(0)->get());
  if (!rhsType.isF16() && !rhsType.isBF16())
    return why = "operands are not f16 or bf16", failure();
  if (!resType.isF32() || !(lhsType.isF32() || lhsType == rhsType))
    return why = "not f16/bf16 × f16/bf16 (or f32 rounded to them) into f32",
           failure();
  if (op.hasDynamicShape())
    return why = "dynamic sizes", failure();
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.size() != 1 || dims->n.size() != 1 ||
      dims->k.size() != 1)
    return why = "not one m, n and k loop", failure();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  for (unsigned b : dims->batch)
    if (ranges[b] != 1)
      return why = "a batch loop larger than 1", failure();
  MmaContraction c{dims->m[0], dims->n[0], dims->k[0], false};
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (!endsWith(maps[0], dims->batch, c.m, c.k) ||
      !endsWith(maps[2], dims->batch, c.m, c.n))
    return why = "operand layouts other than (m, k) × … → (m, n)", failure();
  if (endsWith(maps[1], dims->batch, c.k, c.n))
    c.rhsKMajor = true;
  else if (!endsWith(maps[1], dims->batch, c.n, c.k))
    return why = "an rhs layout other than (n, k) or (k, n)", failure();
  if (ranges[c.m] % kMmaM || ranges[c.n] % kMmaN || ranges[c.k] % kMmaK)
    return why = "sizes " + std::to_string(ranges[c.m]) + "x" +
                 std::to_string(ranges[c.n]) + "x" +
                 std::to_string(ranges[c.k]) +
                 " (m x n x k) are not multiples of 16x8x16",
           failure();
  return c;
}

/// Whether `value` is only used as the lhs of contractions that tensor
/// cores can compute.
static bool onlyFeedsMmaContractions(Value value) {
  return llvm::all_of(value.getUses(), [](OpOperand &use) {
    auto op = dyn_cast<linalg::LinalgOp>(use.getOwner());
    std::string why;
    return op && op.getNumDpsInputs() == 2 && use.getOperandNumber() == 0 &&
           succeeded(matchMmaContraction(op, why));
  });
}

/// `value` (f32, on tensors) rounded to `type`, computed once per value
/// (`cache`). When `value` comes from an elementwise linalg.generic used
/// only by tensor-core contractions (the scaled queries), that op itself
/// writes `type` instead; otherwise an elementwise op right after the
/// definition rounds it.
static Value getRounded(RewriterBase &rewriter, Value value, Type type,
                        DenseMap<Value, Value> &cache) {
  if (Value rounded = cache.lookup(value))
    return rounded;
  OpBuilder::InsertionGuard guard(rewriter);
  auto tensorType = cast<RankedTensorType>(value.getType());
  auto roundedType = tensorType.clone(type);
  auto producer = value.getDefiningOp<linalg::GenericOp>();
  Value rounded;
  if (producer && producer->getNumResults() == 1 &&
      producer.getNumParallelLoops() == producer.getNumLoops() &&
      onlyFeedsMmaContractions(value)) {
    rewriter.setInsertionPoint(producer);
    Location loc = producer.getLoc();
    Value empty =
        tensor::EmptyOp::create(rewriter, loc, tensorType.getShape(), type);
    auto fused = linalg::GenericOp::create(
        rewriter, loc, TypeRange{roundedType}, producer.getDpsInputs(),
        ValueRange{empty}, producer.getIndexingMapsArray(),
        producer.getIteratorTypesArray());
    IRMapping mapping;
    Block &body = producer.getRegion().front();
    Block *block = rewriter.createBlock(&fused.getRegion());
    for (BlockArgument arg : body.getArguments().drop_back())
      mapping.map(arg, block->addArgument(arg.getType(), arg.getLoc()));
    // The old init value is never read by an elementwise op that only
    // yields; an op that reads it keeps its separate rounding below.
    BlockArgument out = body.getArguments().back();
    if (out.use_empty()) {
      block->addArgument(type, out.getLoc());
      for (Operation &op : body.without_terminator())
        rewriter.clone(op, mapping);
      auto yield = cast<linalg::YieldOp>(body.getTerminator());
      Value r = arith::TruncFOp::create(
          rewriter, loc, type, mapping.lookupOrDefault(yield.getOperand(0)));
      linalg::YieldOp::create(rewriter, loc, r);
      rounded = fused.getResult(0);
    } else {
      rewriter.eraseOp(fused);
      rewriter.eraseOp(empty.getDefiningOp());
    }
  }
  if (!rounded) {
    if (Operation *def = value.getDefiningOp())
      rewriter.setInsertionPointAfter(def);
    else
      rewriter.setInsertionPointToStart(cast<BlockArgument>(value).getOwner());
    Location loc = value.getLoc();
    Value empty =
        tensor::EmptyOp::create(rewriter, loc, tensorType.getShape(), type);
    AffineMap id = rewriter.getMultiDimIdentityMap(tensorType.getRank());
    SmallVector<utils::IteratorType> parallel(tensorType.getRank(),
                                              utils::IteratorType::parallel);
    rounded = linalg::GenericOp::create(
                  rewriter, loc, roundedType, value, empty,
                  ArrayRef<AffineMap>{id, id}, parallel,
                  [&](OpBuilder &b, Location l, ValueRange args) {
                    Value r = arith::TruncFOp::create(b, l, type, args[0]);
                    linalg::YieldOp::create(b, l, r);
                  })
                  .getResult(0);
  }
  cache[value] = rounded;
  return rounded;
}

/// Makes the f32 lhs of `op` the rounded `rounded` (element type `type`),
/// extended back to f32 inside the body.
static void setRoundedLhs(RewriterBase &rewriter, linalg::LinalgOp op,
                          Value rounded, Type type) {
  rewriter.modifyOpInPlace(op, [&] {
    op.getDpsInputOperand(0)->set(rounded);
    BlockArgument arg = op.getBlock()->getArgument(0);
    arg.setType(type);
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToStart(op.getBlock());
    Value ext = arith::ExtFOp::create(rewriter, op.getLoc(),
                                      rewriter.getF32Type(), arg);
    rewriter.replaceAllUsesExcept(arg, ext, ext.getDefiningOp());
  });
}

/// The largest divisor of `n` that is at most `limit`.
static int64_t largestDivisor(int64_t n, int64_t limit) {
  for (int64_t d = std::min(n, limit); d > 1; --d)
    if (n % d == 0)
      return d;
  return 1;
}

LogicalResult mlir::attn::tileContractionOverWarps(
    RewriterBase &rewriter, linalg::LinalgOp op, int64_t numThreads,
    std::string &why, DenseMap<Value, Value> *rounded) {
  FailureOr<MmaContraction> c = matchMmaContraction(op, why);
  if (failed(c))
    return failure();
  if (numThreads < 32 || numThreads % 32)
    return why = "the block's " + std::to_string(numThreads) +
                 " threads are not whole warps",
           failure();
  int64_t numWarps = numThreads / 32;
  Type type = getElementTypeOrSelf(op.getDpsInputOperand(1)->get());
  Value lhs = op.getDpsInputOperand(0)->get();
  if (getElementTypeOrSelf(lhs) != type) {
    DenseMap<Value, Value> local;
    setRoundedLhs(rewriter, op,
                  getRounded(rewriter, lhs, type, rounded ? *rounded : local),
                  type);
  }

  // Warps along m first (a warp then reads whole rows of the lhs), the
  // rest along n; each count divides the number of mma tiles.
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t warpsM = largestDivisor(ranges[c->m] / kMmaM, numWarps);
  int64_t warpsN = largestDivisor(ranges[c->n] / kMmaN, numWarps / warpsM);
  MLIRContext *ctx = rewriter.getContext();
  SmallVector<OpFoldResult> counts(ranges.size(), rewriter.getIndexAttr(0));
  SmallVector<Attribute> mapping;
  auto warp = [&](int64_t dim) {
    return gpu::GPUWarpMappingAttr::get(
        ctx, static_cast<gpu::MappingId>(
                 static_cast<int64_t>(gpu::MappingId::LinearDim0) + dim));
  };
  // The forall's loops follow the op's loop order.
  bool mFirst = c->m < c->n;
  counts[c->m] = rewriter.getIndexAttr(warpsM);
  counts[c->n] = rewriter.getIndexAttr(warpsN);
  mapping.push_back(warp(mFirst ? 1 : 0));
  mapping.push_back(warp(mFirst ? 0 : 1));
  scf::SCFTilingOptions tiling;
  tiling.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  tiling.setNumThreads(counts);
  tiling.setMapping(mapping);
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), tiling);
  if (failed(tiled))
    return why = "tiling over warps failed", failure();
  for (Operation *t : tiled->tiledOps)
    t->setAttr(getMmaTileAttrName(), UnitAttr::get(ctx));
  rewriter.replaceOp(op, tiled->replacements);
  LDBG() << "tiled a contraction over " << warpsM << "x" << warpsN << " warps";
  return success();
}

//===----------------------------------------------------------------------===//
// Warp tiles to mma.sync.
//===----------------------------------------------------------------------===//

namespace {
/// Builds the mma.sync code of one warp tile: per-lane fragment loads and
/// stores at the coordinates upstream's nvgpu MMA utilities give for each
/// (lane, value) of an m16n8k16 operand, and the mma itself.
struct MmaTileBuilder {
  RewriterBase &rewriter;
  Location loc;
  Value laneId;
  Value zero;
  unsigned rank;

  /// The fragment of the `rows`×`cols` tile of `memref` (its last two
  /// dimensions, swapped when `transposed`) at (`row`, `col`) that this lane
  /// holds as operand `role` of an m16n8k16 mma.sync, as a vector of
  /// registers × elements per register.
  FailureOr<Value> load(Value memref, nvgpu::MatMulOperandRole role,
                        int64_t row, int64_t col, bool transposed);
  /// The A fragment of the 16x16 tile of `memref` at (`row`, `col`) by
  /// `ldmatrix` (x4) when `memref` is a view of a block's shared buffer;
  /// a null value otherwise.
  FailureOr<Value> loadMatrix(Value memref, int64_t row, int64_t col);
  /// Stores the accumulator fragment `fragment` back to the 16x8 tile of
  /// `memref` at (`row`, `col`).
  LogicalResult store(Value fragment, Value memref, int64_t row, int64_t col);
  /// d = a·b + c on tensor cores.
  Value mma(Value a, Value b, Value c);

private:
  /// The layout of operand `role` (the same for f16 and bf16 operands).
  nvgpu::WarpMatrixInfo info(nvgpu::MatMulOperandRole role) const;
  /// The memref indices of the element (`row` + r, `col` + c) where (r, c)
  /// is what `map` gives for this lane and value `valueId`.
  SmallVector<Value> indices(AffineMap map, int64_t valueId, int64_t row,
                             int64_t col, bool transposed);
};
} // namespace

nvgpu::WarpMatrixInfo
MmaTileBuilder::info(nvgpu::MatMulOperandRole role) const {
  Type f16 = rewriter.getF16Type();
  switch (role) {
  case nvgpu::MatMulOperandRole::A:
    return {VectorType::get({kMmaM, kMmaK}, f16), role};
  case nvgpu::MatMulOperandRole::B:
    return {VectorType::get({kMmaN, kMmaK}, f16), role};
  case nvgpu::MatMulOperandRole::C:
    return {VectorType::get({kMmaM, kMmaN}, rewriter.getF32Type()), role};
  }
  llvm_unreachable("unknown operand role");
}

SmallVector<Value> MmaTileBuilder::indices(AffineMap map, int64_t valueId,
                                           int64_t row, int64_t col,
                                           bool transposed) {
  Value value = arith::ConstantIndexOp::create(rewriter, loc, valueId);
  AffineExpr r = map.getResult(0), c = map.getResult(1);
  auto at = [&](AffineExpr e, int64_t offset) -> Value {
    AffineMap m = AffineMap::get(2, 0, e + offset, rewriter.getContext());
    return affine::makeComposedAffineApply(rewriter, loc, m, {laneId, value});
  };
  SmallVector<Value> result(rank - 2, zero);
  Value i = at(r, row), j = at(c, col);
  result.push_back(transposed ? j : i);
  result.push_back(transposed ? i : j);
  return result;
}

/// Whether `memref` is a view (subviews) of a block buffer that
/// attn-gpu-promote-allocs moved to shared memory (a memory_space_cast
/// from workgroup): allocated by us, 16-byte aligned by
/// attn-gpu-kernel-attributes.
static bool isSharedBuffer(Value memref) {
  Value root = memref;
  while (auto subview = root.getDefiningOp<memref::SubViewOp>())
    root = subview.getSource();
  auto spaceCast = root.getDefiningOp<memref::MemorySpaceCastOp>();
  if (!spaceCast)
    return false;
  auto space = dyn_cast_or_null<gpu::AddressSpaceAttr>(
      spaceCast.getSource().getType().getMemorySpace());
  return space && space.getValue() == gpu::AddressSpace::Workgroup;
}

/// Whether the values of each register of a fragment of `type` (registers
/// × values) are consecutive elements of a row under `map` (lane, value)
/// → (row, column), so that a register is one vector load or store.
static bool registersAreContiguous(AffineMap map, VectorType type) {
  MLIRContext *ctx = map.getContext();
  AffineExpr lane = getAffineDimExpr(0, ctx);
  auto at = [&](unsigned result, int64_t value) {
    return simplifyAffineExpr(
        map.getResult(result).replaceDimsAndSymbols(
            {lane, getAffineConstantExpr(value, ctx)}, {}),
        1, 0);
  };
  int64_t perRegister = type.getDimSize(1);
  for (int64_t v = 0, e = type.getNumElements(); v < e; ++v) {
    if (v % perRegister == 0)
      continue;
    auto dRow = dyn_cast<AffineConstantExpr>(
        simplifyAffineExpr(at(0, v) - at(0, v - 1), 1, 0));
    auto dCol = dyn_cast<AffineConstantExpr>(
        simplifyAffineExpr(at(1, v) - at(1, v - 1), 1, 0));
    if (!dRow || !dCol || dRow.getValue() != 0 || dCol.getValue() != 1)
      return false;
  }
  return true;
}

/// The bytes of one register of a fragment of `type` (its alignment).
static uint64_t getRegisterBytes(VectorType type) {
  return type.getDimSize(1) * type.getElementTypeBitWidth() / 8;
}

FailureOr<Value> MmaTileBuilder::load(Value memref,
                                      nvgpu::MatMulOperandRole role,
                                      int64_t row, int64_t col,
                                      bool transposed) {
  nvgpu::WarpMatrixInfo layout = info(role);
  FailureOr<nvgpu::FragmentElementInfo> regs =
      nvgpu::getMmaSyncRegisterType(layout);
  FailureOr<AffineMap> map =
      nvgpu::getLaneIdAndValueIdToOperandCoord(rewriter, loc, layout);
  if (failed(regs) || failed(map))
    return failure();
  Type elementType = getElementTypeOrSelf(memref);
  auto type = VectorType::get(
      {regs->numRegistersPerFragment, regs->elementsPerRegister}, elementType);
  if (!transposed && isSharedBuffer(memref) &&
      registersAreContiguous(*map, type)) {
    // One vector load per register from the block's (aligned) buffer.
    Value fragment = arith::ConstantOp::create(rewriter, loc, type,
                                               rewriter.getZeroAttr(type));
    auto registerType = VectorType::get({type.getDimSize(1)}, elementType);
    for (int64_t r = 0; r < type.getDimSize(0); ++r) {
      Value value = vector::LoadOp::create(
          rewriter, loc, registerType, memref,
          indices(*map, r * type.getDimSize(1), row, col, false),
          /*nontemporal=*/false, llvm::MaybeAlign(getRegisterBytes(type)));
      fragment = vector::InsertOp::create(rewriter, loc, value, fragment,
                                          ArrayRef<int64_t>{r});
    }
    return fragment;
  }
  SmallVector<Value> elements;
  for (int64_t v = 0, e = type.getNumElements(); v < e; ++v)
    elements.push_back(memref::LoadOp::create(
        rewriter, loc, memref, indices(*map, v, row, col, transposed)));
  return vector::FromElementsOp::create(rewriter, loc, type, elements)
      .getResult();
}

/// `memref` in the workgroup address space when it is a view (subviews) of
/// a block buffer that attn-gpu-promote-allocs moved to shared memory (a
/// memory_space_cast from workgroup), null otherwise.
static Value getSharedView(RewriterBase &rewriter, Location loc, Value memref) {
  Value root = memref;
  while (auto subview = root.getDefiningOp<memref::SubViewOp>())
    root = subview.getSource();
  auto spaceCast = root.getDefiningOp<memref::MemorySpaceCastOp>();
  if (!spaceCast)
    return Value();
  auto sourceType = spaceCast.getSource().getType();
  auto space =
      dyn_cast_or_null<gpu::AddressSpaceAttr>(sourceType.getMemorySpace());
  if (!space || space.getValue() != gpu::AddressSpace::Workgroup)
    return Value();
  auto type = cast<MemRefType>(memref.getType());
  auto sharedType = MemRefType::get(type.getShape(), type.getElementType(),
                                    type.getLayout(), space);
  return memref::MemorySpaceCastOp::create(rewriter, loc, sharedType, memref);
}

FailureOr<Value> MmaTileBuilder::loadMatrix(Value memref, int64_t row,
                                            int64_t col) {
  nvgpu::WarpMatrixInfo layout = info(nvgpu::MatMulOperandRole::A);
  FailureOr<nvgpu::FragmentElementInfo> regs =
      nvgpu::getMmaSyncRegisterType(layout);
  FailureOr<nvgpu::LdMatrixParams> params =
      nvgpu::getLdMatrixParams(layout, /*transpose=*/false);
  if (failed(regs) || failed(params))
    return failure();
  FailureOr<AffineMap> map =
      nvgpu::getLaneIdToLdMatrixMatrixCoord(rewriter, loc, *params);
  if (failed(map))
    return failure();
  Value shared = getSharedView(rewriter, loc, memref);
  if (!shared)
    return Value();
  auto at = [&](AffineExpr e, int64_t offset) -> Value {
    AffineMap m = AffineMap::get(1, 0, e + offset, rewriter.getContext());
    return affine::makeComposedAffineApply(rewriter, loc, m, {laneId});
  };
  SmallVector<Value> indices(rank - 2, zero);
  indices.push_back(at(map->getResult(0), row));
  indices.push_back(at(map->getResult(1), col));
  auto type = VectorType::get(
      {regs->numRegistersPerFragment, regs->elementsPerRegister},
      getElementTypeOrSelf(memref));
  return nvgpu::LdMatrixOp::create(rewriter, loc, type, shared, indices,
                                   rewriter.getBoolAttr(false),
                                   rewriter.getI32IntegerAttr(params->numTiles))
      .getResult();
}

LogicalResult MmaTileBuilder::store(Value fragment, Value memref, int64_t row,
                                    int64_t col) {
  nvgpu::WarpMatrixInfo layout = info(nvgpu::MatMulOperandRole::C);
  FailureOr<AffineMap> map =
      nvgpu::getLaneIdAndValueIdToOperandCoord(rewriter, loc, layout);
  if (failed(map))
    return failure();
  auto type = cast<VectorType>(fragment.getType());
  if (isSharedBuffer(memref) && registersAreContiguous(*map, type)) {
    for (int64_t r = 0; r < type.getDimSize(0); ++r) {
      Value value = vector::ExtractOp::create(rewriter, loc, fragment,
                                              ArrayRef<int64_t>{r});
      vector::StoreOp::create(
          rewriter, loc, value, memref,
          indices(*map, r * type.getDimSize(1), row, col, false),
          /*nontemporal=*/false, llvm::MaybeAlign(getRegisterBytes(type)));
    }
    return success();
  }
  for (int64_t v = 0, e = type.getNumElements(); v < e; ++v) {
    SmallVector<int64_t> position = {v / type.getDimSize(1),
                                     v % type.getDimSize(1)};
    Value element =
        vector::ExtractOp::create(rewriter, loc, fragment, position);
    memref::StoreOp::create(rewriter, loc, element, memref,
                            indices(*map, v, row, col, /*transposed=*/false));
  }
  return success();
}

Value MmaTileBuilder::mma(Value a, Value b, Value c) {
  Type elementType = getElementTypeOrSelf(a);
  if (elementType.isF16())
    return nvgpu::MmaSyncOp::create(rewriter, loc, a, b, c,
                                    ArrayRef<int64_t>{kMmaM, kMmaN, kMmaK});
  // bf16: nvgpu.mma.sync cannot lower bf16 operands ("failed to deduce
  // operand PTX types"); nvvm.mma.sync takes them packed two per i32
  // register, with the PTX types given explicitly.
  MLIRContext *ctx = rewriter.getContext();
  Type i32 = rewriter.getI32Type();
  auto pack = [&](Value fragment) {
    SmallVector<Value> registers;
    auto type = cast<VectorType>(fragment.getType());
    for (int64_t r = 0; r < type.getDimSize(0); ++r) {
      Value pair = vector::ExtractOp::create(rewriter, loc, fragment,
                                             ArrayRef<int64_t>{r});
      Value word = vector::BitCastOp::create(rewriter, loc,
                                             VectorType::get({1}, i32), pair);
      registers.push_back(
          vector::ExtractOp::create(rewriter, loc, word, ArrayRef<int64_t>{0}));
    }
    return registers;
  };
  auto cType = cast<VectorType>(c.getType());
  SmallVector<Value> accumulators;
  for (int64_t v = 0, e = cType.getNumElements(); v < e; ++v)
    accumulators.push_back(vector::ExtractOp::create(
        rewriter, loc, c,
        ArrayRef<int64_t>{v / cType.getDimSize(1), v % cType.getDimSize(1)}));
  Type f32 = rewriter.getF32Type();
  auto resultType = LLVM::LLVMStructType::getLiteral(
      ctx, SmallVector<Type>(accumulators.size(), f32));
  Value d = NVVM::MmaOp::create(
      rewriter, loc, resultType, pack(a), pack(b), accumulators,
      ArrayRef<int64_t>{kMmaM, kMmaN, kMmaK}, std::nullopt, std::nullopt,
      std::array<NVVM::MMATypes, 2>{NVVM::MMATypes::bf16, NVVM::MMATypes::bf16},
      std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                     NVVM::MMALayout::col});
  SmallVector<Value> results;
  for (int64_t v = 0, e = cType.getNumElements(); v < e; ++v)
    results.push_back(LLVM::ExtractValueOp::create(rewriter, loc, d, v));
  return vector::FromElementsOp::create(rewriter, loc, cType, results);
}

/// Replaces the warp tile `op` (on buffers, marked attn.mma) by mma.sync
/// code: for each 16-row block, the A fragments along k; for each 8-column
/// block, the accumulator fragment, one mma per 16-deep step, the store.
static LogicalResult lowerMmaTile(RewriterBase &rewriter, linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics())
    return op.emitError("attn-gpu-mma: a tensor-core tile must be on "
                        "buffers");
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.size() != 1 || dims->n.size() != 1 ||
      dims->k.size() != 1)
    return op.emitError("attn-gpu-mma: a tensor-core tile must be a "
                        "contraction with one m, n and k loop");
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t m = ranges[dims->m[0]], n = ranges[dims->n[0]],
          k = ranges[dims->k[0]];
  if (ShapedType::isDynamic(m) || ShapedType::isDynamic(n) ||
      ShapedType::isDynamic(k) || m % kMmaM || n % kMmaN || k % kMmaK)
    return op.emitError("attn-gpu-mma: a tensor-core tile must have static "
                        "sizes that are multiples of 16x8x16");
  Value lhs = op.getDpsInputOperand(0)->get();
  Value rhs = op.getDpsInputOperand(1)->get();
  Value acc = op.getDpsInitOperand(0)->get();
  AffineMap rhsMap = op.getMatchingIndexingMap(op.getDpsInputOperand(1));
  unsigned rank = rhsMap.getNumResults();
  bool rhsKMajor = rhsMap.getResult(rank - 2) ==
                   getAffineDimExpr(dims->k[0], op.getContext());

  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  MmaTileBuilder b{rewriter, loc, gpu::LaneIdOp::create(rewriter, loc, nullptr),
                   arith::ConstantIndexOp::create(rewriter, loc, 0), rank};
  using Role = nvgpu::MatMulOperandRole;
  for (int64_t i = 0; i < m; i += kMmaM) {
    SmallVector<Value> aFragments;
    for (int64_t kk = 0; kk < k; kk += kMmaK) {
      // ldmatrix from shared memory (the scaled queries, the
      // probabilities), per-element loads otherwise.
      FailureOr<Value> a = b.loadMatrix(lhs, i, kk);
      if (succeeded(a) && !*a)
        a = b.load(lhs, Role::A, i, kk, false);
      if (failed(a))
        return op.emitError("attn-gpu-mma: no fragment layout for the lhs");
      aFragments.push_back(*a);
    }
    for (int64_t j = 0; j < n; j += kMmaN) {
      FailureOr<Value> c = b.load(acc, Role::C, i, j, false);
      if (failed(c))
        return op.emitError("attn-gpu-mma: no fragment layout for the "
                            "accumulator");
      Value d = *c;
      for (int64_t kk = 0; kk < k; kk += kMmaK) {
        // The rhs fragment is (n, k); a (k, n) rhs is read transposed.
        FailureOr<Value> bf = b.load(rhs, Role::B, j, kk, rhsKMajor);
        if (failed(bf))
          return op.emitError("attn-gpu-mma: no fragment layout for the "
                              "rhs");
        d = b.mma(aFragments[kk / kMmaK], *bf, d);
      }
      if (failed(b.store(d, acc, i, j)))
        return op.emitError("attn-gpu-mma: no fragment layout for the "
                            "accumulator");
    }
  }
  rewriter.eraseOp(op);
  return success();
}

LogicalResult mlir::attn::lowerMmaTiles(RewriterBase &rewriter,
                                        gpu::LaunchOp launch) {
  SmallVector<linalg::LinalgOp> tiles;
  launch.getBody().walk([&](linalg::LinalgOp op) {
    if (op->hasAttr(getMmaTileAttrName()))
      tiles.push_back(op);
  });
  for (linalg::LinalgOp op : tiles)
    if (failed(lowerMmaTile(rewriter, op)))
      return failure();
  LDBG() << "lowered " << tiles.size() << " warp tiles to mma.sync";
  return success();
}

namespace {
struct AttnGpuMmaPass : attn::impl::AttnGpuMmaPassBase<AttnGpuMmaPass> {
  using AttnGpuMmaPassBase::AttnGpuMmaPassBase;
  void runOnOperation() override {
    SmallVector<gpu::LaunchOp> launches;
    getOperation()->walk([&](gpu::LaunchOp l) { launches.push_back(l); });
    IRRewriter rewriter(&getContext());
    for (gpu::LaunchOp launch : launches)
      if (failed(lowerMmaTiles(rewriter, launch)))
        return signalPassFailure();
  }
};
} // namespace
