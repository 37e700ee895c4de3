//===- DistributeRing.cpp - attention across MPI ranks --------------------===//
//
// Implements `attn-distribute-ring`: a function computing one attn.sdpa
// becomes the function each MPI rank runs on its shards of the sequence.
// Prefill runs ring attention (key/value blocks passed around the ring with
// non-blocking transfers overlapping the compute, partial results merged by
// log-sum-exp); decoding splits the keys across ranks and combines with
// all-reduces. The per-block computation is an ordinary attn.sdpa with a
// six-operand tile_origin, tiled later by the local strategy.
//
//===----------------------------------------------------------------------===//

#include "attn/Transforms/Passes.h"
#include "attn/Transforms/Transforms.h"

#include "AttentionBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/DLTI/DLTI.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MPI/IR/MPI.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include "llvm/Support/DebugLog.h"

#include <limits>

#define DEBUG_TYPE "attn-distribute-ring"

namespace mlir {
namespace attn {
#define GEN_PASS_DEF_ATTNDISTRIBUTERINGPASS
#include "attn/Transforms/Passes.h.inc"
} // namespace attn
} // namespace mlir

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::builders;

using Sequence = RingPlan::Sequence;

/// The attribute marking a function attn-distribute-ring produced.
static constexpr StringLiteral kDistributedAttrName = "attn.distributed";

//===----------------------------------------------------------------------===//
// The plan
//===----------------------------------------------------------------------===//

FailureOr<RingPlan> mlir::attn::getRingPlan(func::FuncOp fn, std::string &why) {
  if (fn.isExternal()) {
    why = "the function has no body";
    return failure();
  }
  Block &body = fn.getBody().front();
  SdpaOp op;
  for (Operation &nested : body.without_terminator()) {
    op = dyn_cast<SdpaOp>(nested);
    if (!op || &nested != &body.front()) {
      why = "the body must be one 'attn.sdpa' and the return; found '" +
            nested.getName().getStringRef().str() + "'";
      return failure();
    }
  }
  if (!op) {
    why = "the function computes no 'attn.sdpa'";
    return failure();
  }
  if (!op.getTileOrigin().empty()) {
    why = "the 'attn.sdpa' is already a tile (it has a tile_origin)";
    return failure();
  }
  RingPlan plan;
  int64_t queryLen = op.getQuery().getType().getDimSize(2);
  plan.decode = !ShapedType::isDynamic(queryLen) &&
                queryLen <= RingPlan::kMaxDecodeQueries;
  plan.layout = !plan.decode && (op.getCausal() || op.getWindow())
                    ? ring::Layout::ZigZag
                    : ring::Layout::Contiguous;

  plan.arguments.assign(fn.getNumArguments(), {});
  SmallVector<bool> used(fn.getNumArguments(), false);
  auto shardArgument = [&](Value operand, StringRef role,
                           RingPlan::Sharding sharding) -> LogicalResult {
    // The body is the op alone: its operands are arguments.
    auto arg = cast<BlockArgument>(operand);
    if (used[arg.getArgNumber()]) {
      why = ("argument #" + Twine(arg.getArgNumber()) +
             " is used twice; each operand needs its own argument")
                .str();
      return failure();
    }
    used[arg.getArgNumber()] = true;
    plan.arguments[arg.getArgNumber()] = sharding;
    return success();
  };
  RingPlan::Sharding queryRows = plan.decode
                                     ? RingPlan::Sharding{}
                                     : RingPlan::Sharding{Sequence::Queries, 2};
  RingPlan::Sharding keyRows{Sequence::Keys, 2};
  if (failed(shardArgument(op.getQuery(), "query", queryRows)) ||
      failed(shardArgument(op.getKey(), "key", keyRows)) ||
      failed(shardArgument(op.getValue(), "value", keyRows)))
    return failure();
  if (Value mask = op.getMask())
    if (failed(shardArgument(mask, "mask",
                             plan.decode
                                 ? RingPlan::Sharding{Sequence::Keys, 3}
                                 : RingPlan::Sharding{Sequence::Queries, 2})))
      return failure();
  if (Value lens = op.getKvLens())
    if (failed(shardArgument(lens, "kv_lens", {})))
      return failure();
  for (auto [index, isUsed] : llvm::enumerate(used)) {
    if (!isUsed) {
      why = ("argument #" + Twine(index) + " is not an operand of 'attn.sdpa'")
                .str();
      return failure();
    }
  }
  for (Value result : body.getTerminator()->getOperands()) {
    if (result.getDefiningOp() != op.getOperation()) {
      why = "the function must return the results of 'attn.sdpa'";
      return failure();
    }
    plan.results.push_back(queryRows);
  }
  return plan;
}

//===----------------------------------------------------------------------===//
// Building blocks
//===----------------------------------------------------------------------===//

namespace {

/// The distributed body of one function, built before its attn.sdpa.
class RingBuilder {
public:
  /// `commHandle`: an i64 holding the MPI_Comm to use, or null for
  /// MPI_COMM_WORLD.
  RingBuilder(RewriterBase &rewriter, SdpaOp op, const RingPlan &plan,
              RankedTensorType fullQuery, RankedTensorType fullKey,
              Value commHandle)
      : b(rewriter), loc(op.getLoc()), im{rewriter, op.getLoc()}, op(op),
        plan(plan), fullQuery(fullQuery), fullKey(fullKey),
        commHandle(commHandle) {}

  SmallVector<Value> build();

private:
  Value toIndex(Value i32) {
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), i32);
  }
  Value toI32(Value index) {
    return arith::IndexCastOp::create(b, loc, b.getI32Type(), index);
  }
  /// The global length of dimension 2 of `local`: static, or the sum of the
  /// ranks' local lengths.
  Value globalLength(RankedTensorType full, Value local);
  Value allReduce(Value tensor, mpi::MPI_ReductionOpEnum kind);
  Value chunkStart(Value chunk, Value length) {
    return im.divU(im.mul(chunk, length), numChunks);
  }
  Value chunkLength(Value chunk, Value length) {
    return im.sub(chunkStart(im.add(chunk, im.c(1)), length),
                  chunkStart(chunk, length));
  }
  /// The chunks `rank` holds, in local order.
  SmallVector<Value> rankChunks(Value rank) {
    if (plan.layout == ring::Layout::ZigZag)
      return {rank, im.sub(im.sub(numChunks, im.c(1)), rank)};
    return {rank};
  }
  Value rankLength(Value rank, Value length) {
    Value total = im.c(0);
    for (Value chunk : rankChunks(rank))
      total = im.add(total, chunkLength(chunk, length));
    return total;
  }
  /// `source` with dimension `dim` restricted to [offset, offset + size).
  Value slice(Value source, int64_t dim, Value offset, Value size) {
    auto type = cast<RankedTensorType>(source.getType());
    SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, source);
    SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
    offsets[dim] = offset;
    sizes[dim] = size;
    return tensor::ExtractSliceOp::create(b, loc, source, offsets, sizes,
                                          strides);
  }
  /// The block attention of `q` rows against `k`/`v` rows placed at
  /// `queryStart` and `keyStart` of the full problem: (out, lse).
  std::pair<Value, Value> blockAttention(Value q, Value k, Value v, Value mask,
                                         Value queryStart, Value keyStart);
  /// Whether causal/window visibility leaves some key of [keyStart, +keyLen)
  /// visible to some query of [queryStart, +queryLen); null when it may.
  Value mayBeVisible(Value queryStart, Value queryLen, Value keyStart,
                     Value keyLen);
  /// (out, lse) of `acc` merged with a block's (out, lse) by log-sum-exp.
  std::pair<Value, Value> merge(Value accOut, Value accLse, Value out,
                                Value lse);
  SmallVector<Value> buildRing();
  SmallVector<Value> buildDecode();
  SmallVector<Value> results(Value out, Value lse) {
    SmallVector<Value> values = {out};
    if (op.getLse())
      values.push_back(lse);
    return values;
  }

  RewriterBase &b;
  Location loc;
  IndexMath im;
  SdpaOp op;
  const RingPlan &plan;
  RankedTensorType fullQuery, fullKey;
  Value commHandle;
  Value comm, rank, numRanks, numChunks, queryLen, keyLen;
};

} // namespace

Value RingBuilder::globalLength(RankedTensorType full, Value local) {
  int64_t size = full.getDimSize(2);
  if (!ShapedType::isDynamic(size))
    return im.c(size);
  Type i64 = b.getI64Type();
  auto type = MemRefType::get({1}, i64);
  Value send = memref::AllocaOp::create(b, loc, type);
  Value recv = memref::AllocaOp::create(b, loc, type);
  memref::StoreOp::create(b, loc,
                          arith::IndexCastOp::create(b, loc, i64, local), send,
                          ValueRange{im.c(0)});
  mpi::AllReduceOp::create(b, loc, Type(), send, recv,
                           mpi::MPI_ReductionOpEnum::MPI_SUM, comm);
  Value total = memref::LoadOp::create(b, loc, recv, ValueRange{im.c(0)});
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), total);
}

Value RingBuilder::allReduce(Value tensor, mpi::MPI_ReductionOpEnum kind) {
  auto type = cast<RankedTensorType>(tensor.getType());
  auto bufferType = MemRefType::get(type.getShape(), type.getElementType());
  Value send = bufferization::ToBufferOp::create(b, loc, bufferType, tensor,
                                                 /*read_only=*/true);
  SmallVector<Value> dynamicSizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      dynamicSizes.push_back(tensor::DimOp::create(b, loc, tensor, d));
  Value recv = memref::AllocOp::create(b, loc, bufferType, dynamicSizes);
  // The upstream lowering counts the elements of the first dimension only.
  SmallVector<ReassociationIndices> all = {
      llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()))};
  Value sendFlat = memref::CollapseShapeOp::create(b, loc, send, all);
  Value recvFlat = memref::CollapseShapeOp::create(b, loc, recv, all);
  mpi::AllReduceOp::create(b, loc, Type(), sendFlat, recvFlat, kind, comm);
  return bufferization::ToTensorOp::create(b, loc, type, recv,
                                           /*restrict=*/true,
                                           /*writable=*/true);
}

std::pair<Value, Value> RingBuilder::blockAttention(Value q, Value k, Value v,
                                                    Value mask,
                                                    Value queryStart,
                                                    Value keyStart) {
  auto qType = cast<RankedTensorType>(q.getType());
  auto vType = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> outShape(qType.getShape());
  outShape[3] = vType.getDimSize(3);
  auto outType = RankedTensorType::get(outShape, qType.getElementType());
  auto lseType =
      RankedTensorType::get(qType.getShape().drop_back(), b.getF32Type());
  Value zero = im.c(0);
  auto block = SdpaOp::create(
      b, loc, outType, lseType, q, k, v, mask, op.getKvLens(),
      ValueRange{zero, zero, queryStart, queryLen, keyStart, keyLen},
      op.getScaleAttr(), op.getCausalAttr(), op.getWindowAttr(),
      op.getSoftcapAttr());
  if (!op.getScoreMod().empty()) {
    IRMapping mapping;
    op.getScoreMod().cloneInto(&block.getScoreMod(), mapping);
  }
  return {block.getOut(), block.getLse()};
}

Value RingBuilder::mayBeVisible(Value queryStart, Value queryLen_,
                                Value keyStart, Value keyLen_) {
  std::optional<ArrayRef<int64_t>> window = op.getWindow();
  if (!op.getCausal() && !window)
    return Value();
  using P = arith::CmpIPredicate;
  // Aligned positions of the first and last query, and the last key.
  Value shift = im.sub(keyLen, queryLen);
  Value firstPos = im.add(queryStart, shift);
  Value lastPos = im.sub(im.add(firstPos, queryLen_), im.c(1));
  Value lastKey = im.sub(im.add(keyStart, keyLen_), im.c(1));
  int64_t right = op.getCausal() ? 0 : std::numeric_limits<int64_t>::max();
  std::optional<int64_t> left;
  if (window) {
    right = std::min(right, (*window)[1]);
    left = (*window)[0];
  }
  Value visible = im.cmp(P::sle, keyStart,
                         right == std::numeric_limits<int64_t>::max()
                             ? lastKey
                             : im.add(lastPos, im.c(right)));
  if (left)
    visible = arith::AndIOp::create(
        b, loc, visible,
        im.cmp(P::sge, lastKey, im.sub(firstPos, im.c(*left))));
  return visible;
}

std::pair<Value, Value> RingBuilder::merge(Value accOut, Value accLse,
                                           Value out, Value lse) {
  MLIRContext *ctx = b.getContext();
  AffineMap id4 = AffineMap::getMultiDimIdentityMap(4, ctx);
  AffineMap row4 = AffineMap::get(4, 0, id4.getResults().drop_back(), ctx);
  AffineMap id3 = AffineMap::getMultiDimIdentityMap(3, ctx);
  // Weights of the two parts relative to their maximum (0 for an empty
  // part, lse = -inf).
  auto weights = [](OpBuilder &nb, Location nloc, Value a, Value l) {
    Value max = arith::MaximumFOp::create(nb, nloc, a, l);
    Value safe = safeMaxValue(nb, nloc, max);
    Value wa =
        math::ExpOp::create(nb, nloc, arith::SubFOp::create(nb, nloc, a, safe));
    Value wl =
        math::ExpOp::create(nb, nloc, arith::SubFOp::create(nb, nloc, l, safe));
    return std::make_tuple(safe, wa, wl);
  };
  // Per row: the normalised weights of the accumulated part and of the
  // block (0 and 0 when both are empty), computed once per row so that the
  // pass over the outputs is two multiply-adds per element.
  auto rowWeight = [&](bool ofBlock) {
    return buildElementwise(
        b, loc, lse, ValueRange{accLse, lse}, {id3, id3}, b.getF32Type(),
        [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
          auto [safe, wa, wl] = weights(nb, nloc, args[0], args[1]);
          Value sum = arith::AddFOp::create(nb, nloc, wa, wl);
          Value positive =
              arith::CmpFOp::create(nb, nloc, arith::CmpFPredicate::OGT, sum,
                                    f32Constant(nb, nloc, 0));
          return arith::SelectOp::create(
              nb, nloc, positive,
              arith::DivFOp::create(nb, nloc, ofBlock ? wl : wa, sum),
              f32Constant(nb, nloc, 0));
        });
  };
  Value accWeight = rowWeight(/*ofBlock=*/false);
  Value blockWeight = rowWeight(/*ofBlock=*/true);
  Value newOut = buildElementwiseInto(
      b, loc, accOut, ValueRange{out, accWeight, blockWeight},
      {id4, row4, row4},
      [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
        return arith::AddFOp::create(
            nb, nloc, arith::MulFOp::create(nb, nloc, args[1], args[3]),
            arith::MulFOp::create(nb, nloc, args[2],
                                  extToF32(nb, nloc, args[0])));
      });
  Value newLse = buildElementwiseInto(
      b, loc, accLse, ValueRange{lse}, {id3},
      [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
        auto [safe, wa, wl] = weights(nb, nloc, args[1], args[0]);
        return arith::AddFOp::create(
            nb, nloc, safe,
            math::LogOp::create(nb, nloc,
                                arith::AddFOp::create(nb, nloc, wa, wl)));
      });
  return {newOut, newLse};
}

SmallVector<Value> RingBuilder::buildRing() {
  using P = arith::CmpIPredicate;
  Value q = op.getQuery(), k = op.getKey(), v = op.getValue();
  Value mask = op.getMask();
  Type elt = fullQuery.getElementType();
  int64_t valueDim = op.getValueHeadDim();

  // The rank's query chunks: local offset, global start, length.
  struct QueryChunk {
    Value localOffset, start, length;
  };
  SmallVector<QueryChunk> queryChunks;
  Value offset = im.c(0);
  for (Value chunk : rankChunks(rank)) {
    Value length = chunkLength(chunk, queryLen);
    queryChunks.push_back({offset, chunkStart(chunk, queryLen), length});
    offset = im.add(offset, length);
  }
  // Accumulators per query chunk: out (f32) and lse.
  SmallVector<Value> inits = {k, v};
  for (QueryChunk &chunk : queryChunks) {
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, q);
    sizes[2] = chunk.length;
    sizes[3] = b.getIndexAttr(valueDim);
    inits.push_back(createFilledF32(b, loc, sizes, 0.0));
    sizes.pop_back();
    inits.push_back(createFilledF32(b, loc, sizes,
                                    -std::numeric_limits<double>::infinity()));
  }
  Value next = im.remU(im.add(rank, im.c(1)), numRanks);
  Value prev = im.remU(im.sub(im.add(rank, numRanks), im.c(1)), numRanks);

  auto loop = scf::ForOp::create(b, loc, im.c(0), numRanks, im.c(1), inits);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value step = loop.getInductionVar();
    ValueRange iterArgs = loop.getRegionIterArgs();
    Value kCur = iterArgs[0], vCur = iterArgs[1];
    // The block held in this step belongs to rank (rank - step) mod P; the
    // one arriving for the next step to the rank before it.
    Value owner = im.remU(im.sub(im.add(rank, numRanks), step), numRanks);
    Value more = im.cmp(P::ult, im.add(step, im.c(1)), numRanks);
    Value nextOwner =
        im.remU(im.sub(im.add(owner, numRanks), im.c(1)), numRanks);
    Value recvLen = im.select(more, rankLength(nextOwner, keyLen), im.c(0));

    // Start the transfers: this block to the next rank, the next block from
    // the previous one. The last step moves nothing (0 elements).
    SmallVector<Value> requests, received;
    SmallVector<Value> currents = {kCur, vCur};
    for (auto [tag, current] : llvm::enumerate(currents)) {
      auto type = cast<RankedTensorType>(current.getType());
      auto bufferType = MemRefType::get(type.getShape(), type.getElementType());
      SmallVector<ReassociationIndices> all = {{0, 1, 2, 3}};
      Value send =
          bufferization::ToBufferOp::create(b, loc, bufferType, current, true);
      Value flat = memref::CollapseShapeOp::create(b, loc, send, all);
      Value count =
          im.select(more, memref::DimOp::create(b, loc, flat, 0), im.c(0));
      Value view = memref::SubViewOp::create(
          b, loc, flat, ArrayRef<OpFoldResult>{b.getIndexAttr(0)},
          ArrayRef<OpFoldResult>{count},
          ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
      Value tagValue = arith::ConstantIntOp::create(b, loc, tag, 32);
      requests.push_back(
          mpi::ISendOp::create(b, loc, Type(),
                               mpi::RequestType::get(b.getContext()), view,
                               tagValue, toI32(next), comm)
              .getReq());
      SmallVector<Value> dynamicSizes;
      if (type.isDynamicDim(0))
        dynamicSizes.push_back(tensor::DimOp::create(b, loc, current, 0));
      dynamicSizes.push_back(recvLen);
      Value recv = memref::AllocOp::create(b, loc, bufferType, dynamicSizes);
      Value recvFlat = memref::CollapseShapeOp::create(b, loc, recv, all);
      requests.push_back(
          mpi::IRecvOp::create(b, loc, Type(),
                               mpi::RequestType::get(b.getContext()), recvFlat,
                               tagValue, toI32(prev), comm)
              .getReq());
      received.push_back(recv);
    }

    // Compute on the block held, chunk pair by chunk pair.
    SmallVector<Value> accs(iterArgs.drop_front(2));
    Value keyOffset = im.c(0);
    for (Value keyChunk : rankChunks(owner)) {
      Value keyStart = chunkStart(keyChunk, keyLen);
      Value keyChunkLen = chunkLength(keyChunk, keyLen);
      Value kBlock = slice(kCur, 2, keyOffset, keyChunkLen);
      Value vBlock = slice(vCur, 2, keyOffset, keyChunkLen);
      keyOffset = im.add(keyOffset, keyChunkLen);
      for (auto [index, queryChunk] : llvm::enumerate(queryChunks)) {
        QueryChunk chunk = queryChunk;
        Value qBlock = slice(q, 2, chunk.localOffset, chunk.length);
        Value maskBlock;
        if (mask)
          maskBlock = slice(slice(mask, 2, chunk.localOffset, chunk.length), 3,
                            keyStart, keyChunkLen);
        Value accOut = accs[2 * index], accLse = accs[2 * index + 1];
        auto compute = [&](OpBuilder &) -> std::pair<Value, Value> {
          auto [out, lse] = blockAttention(qBlock, kBlock, vBlock, maskBlock,
                                           chunk.start, keyStart);
          return merge(accOut, accLse, out, lse);
        };
        Value visible =
            mayBeVisible(chunk.start, chunk.length, keyStart, keyChunkLen);
        std::pair<Value, Value> merged;
        if (!visible) {
          merged = compute(b);
        } else {
          // Blocks that visibility hides entirely are not computed.
          auto ifOp = scf::IfOp::create(
              b, loc, TypeRange{accOut.getType(), accLse.getType()}, visible,
              /*withElseRegion=*/true);
          {
            OpBuilder::InsertionGuard inner(b);
            b.setInsertionPointToStart(ifOp.thenBlock());
            auto [out, lse] = compute(b);
            scf::YieldOp::create(b, loc, ValueRange{out, lse});
            b.setInsertionPointToStart(ifOp.elseBlock());
            scf::YieldOp::create(b, loc, ValueRange{accOut, accLse});
          }
          merged = {ifOp.getResult(0), ifOp.getResult(1)};
        }
        accs[2 * index] = merged.first;
        accs[2 * index + 1] = merged.second;
      }
    }

    for (Value request : requests)
      mpi::Wait::create(b, loc, Type(), request);
    SmallVector<Value> yields;
    for (auto [recv, current] : llvm::zip_equal(received, currents))
      yields.push_back(bufferization::ToTensorOp::create(
          b, loc, current.getType(), recv, /*restrict=*/true,
          /*writable=*/true));
    llvm::append_range(yields, accs);
    scf::YieldOp::create(b, loc, yields);
  }

  // The rank's rows of out and lse, chunk after chunk.
  SmallVector<OpFoldResult> outSizes = tensor::getMixedSizes(b, loc, q);
  outSizes[3] = b.getIndexAttr(valueDim);
  Value out = tensor::EmptyOp::create(b, loc, outSizes, elt);
  SmallVector<OpFoldResult> lseSizes(ArrayRef(outSizes).drop_back());
  Value lse = tensor::EmptyOp::create(b, loc, lseSizes, b.getF32Type());
  for (auto [index, queryChunk] : llvm::enumerate(queryChunks)) {
    QueryChunk chunk = queryChunk;
    Value chunkOut = convertTensor(b, loc, loop.getResult(2 + 2 * index), elt);
    Value chunkLse = loop.getResult(3 + 2 * index);
    auto insert = [&](Value source, Value dest) {
      auto type = cast<RankedTensorType>(source.getType());
      SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
      offsets[2] = chunk.localOffset;
      SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
      return tensor::InsertSliceOp::create(
          b, loc, source, dest, offsets, tensor::getMixedSizes(b, loc, source),
          strides);
    };
    out = insert(chunkOut, out);
    lse = insert(chunkLse, lse);
  }
  return results(out, lse);
}

SmallVector<Value> RingBuilder::buildDecode() {
  // Every rank holds all queries and the contiguous chunk `rank` of keys.
  Value keyStart = chunkStart(rank, keyLen);
  auto [out, lse] = blockAttention(op.getQuery(), op.getKey(), op.getValue(),
                                   op.getMask(), im.c(0), keyStart);
  MLIRContext *ctx = b.getContext();
  AffineMap id4 = AffineMap::getMultiDimIdentityMap(4, ctx);
  AffineMap row4 = AffineMap::get(4, 0, id4.getResults().drop_back(), ctx);
  AffineMap id3 = AffineMap::getMultiDimIdentityMap(3, ctx);
  Type f32 = b.getF32Type();
  // M = max over ranks of lse; w = exp(lse - M); the output is
  // Σ w·out / Σ w and the lse M + log Σ w: two all-reduces.
  Value max = allReduce(lse, mpi::MPI_ReductionOpEnum::MPI_MAX);
  Value safeMax =
      buildElementwise(b, loc, max, max, id3, f32,
                       [](OpBuilder &nb, Location nloc, ValueRange args) {
                         return safeMaxValue(nb, nloc, args[0]);
                       });
  Value weight = buildElementwise(
      b, loc, lse, ValueRange{lse, safeMax}, {id3, id3}, f32,
      [](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
        return math::ExpOp::create(
            nb, nloc, arith::SubFOp::create(nb, nloc, args[0], args[1]));
      });
  SmallVector<OpFoldResult> outSizes = tensor::getMixedSizes(b, loc, out);
  Value weighted = buildElementwiseInto(
      b, loc, tensor::EmptyOp::create(b, loc, outSizes, f32),
      ValueRange{out, weight}, {id4, row4},
      [](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
        return arith::MulFOp::create(nb, nloc, extToF32(nb, nloc, args[0]),
                                     args[1]);
      });
  // One sum for both: the weighted outputs and, in an extra last column,
  // the weights.
  int64_t valueDim = op.getValueHeadDim();
  SmallVector<OpFoldResult> packedSizes(outSizes);
  packedSizes[3] = b.getIndexAttr(valueDim + 1);
  Value packed = tensor::EmptyOp::create(b, loc, packedSizes, f32);
  SmallVector<OpFoldResult> zeros(4, b.getIndexAttr(0)),
      ones(4, b.getIndexAttr(1));
  packed = tensor::InsertSliceOp::create(b, loc, weighted, packed, zeros,
                                         outSizes, ones);
  SmallVector<OpFoldResult> columnOffsets(zeros), columnSizes(outSizes);
  columnOffsets[3] = b.getIndexAttr(valueDim);
  columnSizes[3] = b.getIndexAttr(1);
  auto weightType = cast<RankedTensorType>(weight.getType());
  SmallVector<int64_t> columnShape(weightType.getShape());
  columnShape.push_back(1);
  Value column = tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(columnShape, f32), weight,
      ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
  packed = tensor::InsertSliceOp::create(b, loc, column, packed, columnOffsets,
                                         columnSizes, ones);
  Value reduced = allReduce(packed, mpi::MPI_ReductionOpEnum::MPI_SUM);
  // The sum of the weights is column Dv of the reduced buffer.
  AffineExpr d0, d1, d2, d3;
  bindDims(ctx, d0, d1, d2, d3);
  AffineExpr sumColumn = getAffineConstantExpr(valueDim, ctx);
  AffineMap sumOf4 = AffineMap::get(4, 0, {d0, d1, d2, sumColumn}, ctx);
  AffineMap sumOf3 = AffineMap::get(3, 0, {d0, d1, d2, sumColumn}, ctx);
  Type elt = fullQuery.getElementType();
  Value numerator =
      tensor::ExtractSliceOp::create(b, loc, reduced, zeros, outSizes, ones);
  Value combined = buildElementwiseInto(
      b, loc, tensor::EmptyOp::create(b, loc, outSizes, elt),
      ValueRange{numerator, reduced}, {id4, sumOf4},
      [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
        Value positive =
            arith::CmpFOp::create(nb, nloc, arith::CmpFPredicate::OGT, args[1],
                                  f32Constant(nb, nloc, 0));
        Value value = arith::SelectOp::create(
            nb, nloc, positive,
            arith::DivFOp::create(nb, nloc, args[0], args[1]),
            f32Constant(nb, nloc, 0));
        return castFromF32(nb, nloc, value, elt);
      });
  Value combinedLse = buildElementwise(
      b, loc, safeMax, ValueRange{safeMax, reduced}, {id3, sumOf3}, f32,
      [](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
        return arith::AddFOp::create(nb, nloc, args[0],
                                     math::LogOp::create(nb, nloc, args[1]));
      });
  return results(combined, combinedLse);
}

SmallVector<Value> RingBuilder::build() {
  b.setInsertionPoint(op);
  auto commType = mpi::CommType::get(b.getContext());
  // A communicator handle is the i64 the mpi lowering carries
  // communicators as, so the cast folds away in the LLVM dialect.
  comm = commHandle
             ? UnrealizedConversionCastOp::create(b, loc, commType, commHandle)
                   .getResult(0)
             : mpi::CommWorldOp::create(b, loc, commType).getResult();
  rank = toIndex(
      mpi::CommRankOp::create(b, loc, Type(), b.getI32Type(), comm).getRank());
  numRanks = toIndex(
      mpi::CommSizeOp::create(b, loc, Type(), b.getI32Type(), comm).getSize());
  numChunks = plan.layout == ring::Layout::ZigZag ? im.mul(numRanks, im.c(2))
                                                  : numRanks;
  queryLen =
      plan.decode
          ? im.c(fullQuery.getDimSize(2))
          : globalLength(fullQuery,
                         tensor::DimOp::create(b, loc, op.getQuery(), 2));
  keyLen = globalLength(fullKey, tensor::DimOp::create(b, loc, op.getKey(), 2));
  LDBG() << "distributing attn.sdpa at " << loc << ": "
         << (plan.decode ? "decode (keys split, all-reduce combine)" : "ring")
         << ", " << ring::getLayoutName(plan.layout) << " layout";
  return plan.decode ? buildDecode() : buildRing();
}

void mlir::attn::distributeRing(RewriterBase &rewriter, func::FuncOp fn,
                                const RingPlan &plan,
                                bool communicatorArgument) {
  Block &body = fn.getBody().front();
  auto op = cast<SdpaOp>(body.front());
  auto fullQuery = op.getQuery().getType();
  auto fullKey = op.getKey().getType();
  // Arguments become the rank's shards: sharded dimensions dynamic.
  auto localType = [](Type type, RingPlan::Sharding sharding) -> Type {
    if (sharding.sequence == Sequence::None)
      return type;
    auto tensor = cast<RankedTensorType>(type);
    SmallVector<int64_t> shape(tensor.getShape());
    shape[sharding.dim] = ShapedType::kDynamic;
    return tensor.clone(shape);
  };
  SmallVector<Type> argumentTypes, resultTypes;
  for (auto [arg, sharding] :
       llvm::zip_equal(body.getArguments(), plan.arguments)) {
    arg.setType(localType(arg.getType(), sharding));
    argumentTypes.push_back(arg.getType());
  }
  Value commHandle;
  if (communicatorArgument) {
    // Through the function interface, so that argument attributes stay
    // aligned.
    (void)fn.insertArgument(fn.getNumArguments(), rewriter.getI64Type(),
                            DictionaryAttr(), fn.getLoc());
    commHandle = body.getArguments().back();
    argumentTypes.push_back(commHandle.getType());
  }
  RingBuilder builder(rewriter, op, plan, fullQuery, fullKey, commHandle);
  SmallVector<Value> replacements = builder.build();
  Operation *terminator = body.getTerminator();
  SmallVector<Value> returned;
  for (Value value : terminator->getOperands())
    returned.push_back(replacements[cast<OpResult>(value).getResultNumber()]);
  rewriter.modifyOpInPlace(terminator,
                           [&] { terminator->setOperands(returned); });
  rewriter.eraseOp(op);
  for (Value value : returned)
    resultTypes.push_back(value.getType());
  fn.setType(FunctionType::get(fn.getContext(), argumentTypes, resultTypes));
  // What the rank's shards are, for readers of the IR and for idempotence.
  MLIRContext *ctx = fn.getContext();
  fn->setAttr(
      kDistributedAttrName,
      DictionaryAttr::get(
          ctx, {NamedAttribute(
                    StringAttr::get(ctx, "mode"),
                    StringAttr::get(ctx, plan.decode ? "decode" : "ring")),
                NamedAttribute(
                    StringAttr::get(ctx, "layout"),
                    StringAttr::get(ctx, ring::getLayoutName(plan.layout)))}));
}

namespace {
struct AttnDistributeRingPass
    : attn::impl::AttnDistributeRingPassBase<AttnDistributeRingPass> {
  using AttnDistributeRingPassBase::AttnDistributeRingPassBase;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    if (communicator != "world" && communicator != "argument") {
      module.emitError() << "attn-distribute-ring: communicator must be "
                            "world or argument, got '"
                         << communicator << "'";
      return signalPassFailure();
    }
    IRRewriter rewriter(ctx);
    bool distributed = false;
    for (auto fn : llvm::make_early_inc_range(module.getOps<func::FuncOp>())) {
      // Already the function of one rank.
      if (fn->hasAttr(kDistributedAttrName))
        continue;
      bool hasSdpa = false;
      fn.walk([&](SdpaOp) { hasSdpa = true; });
      if (!hasSdpa)
        continue;
      std::string why;
      FailureOr<RingPlan> plan = getRingPlan(fn, why);
      if (failed(plan)) {
        fn.emitError() << "attn-distribute-ring: cannot distribute '"
                       << fn.getSymName() << "': " << why;
        return signalPassFailure();
      }
      distributeRing(rewriter, fn, *plan, communicator == "argument");
      distributed = true;
    }
    // The MPI the lowering targets: the one Attn is built with, unless the
    // module names one.
    if (distributed && !module->hasAttr("dlti.map")) {
      auto entry =
          DataLayoutEntryAttr::get(StringAttr::get(ctx, "MPI:Implementation"),
                                   StringAttr::get(ctx, "OpenMPI"));
      module->setAttr("dlti.map", MapAttr::get(ctx, {entry}));
    }
  }
};
} // namespace
