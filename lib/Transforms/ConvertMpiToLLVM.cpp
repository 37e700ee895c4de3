//===- ConvertMpiToLLVM.cpp - mpi dialect to MPI C calls ------------------===//
//
// Implements `attn-convert-mpi-to-llvm`: the upstream MPI-to-LLVM patterns
// plus lowerings of the operations MLIR 22.1 leaves out (comm_size, isend,
// irecv, wait), which ring attention needs to overlap the transfer of the
// next key/value block with the computation on the current one.
//
//===----------------------------------------------------------------------===//

#include "attn/Transforms/Passes.h"

#include "mlir/Conversion/LLVMCommon/Pattern.h"
#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Conversion/MPIToLLVM/MPIToLLVM.h"
#include "mlir/Dialect/DLTI/DLTI.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MPI/IR/MPI.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>

namespace mlir {
namespace attn {
#define GEN_PASS_DEF_ATTNCONVERTMPITOLLVMPASS
#include "attn/Transforms/Passes.h.inc"
} // namespace attn
} // namespace mlir

using namespace mlir;

namespace {

/// The ABI details that differ between the two MPI families, chosen by the
/// module's DLTI entry "MPI:Implementation" as the upstream lowering does.
/// OpenMPI passes communicators, datatypes and requests as pointers to
/// (predefined) objects; MPICH as 32-bit handles.
struct MpiAbi {
  bool openMpi = false;

  static MpiAbi get(Operation *op) {
    MpiAbi abi;
    auto module = op->getParentOfType<ModuleOp>();
    FailureOr<Attribute> impl =
        dlti::query(module, {"MPI:Implementation"}, /*emitError=*/false);
    if (succeeded(impl))
      if (auto name = dyn_cast<StringAttr>(*impl))
        abi.openMpi = name.getValue() == "OpenMPI";
    return abi;
  }

  Type handleType(MLIRContext *ctx) const {
    return openMpi ? Type(LLVM::LLVMPointerType::get(ctx))
                   : Type(IntegerType::get(ctx, 32));
  }

  /// The communicator, carried as i64, as the MPI function takes it.
  Value castComm(OpBuilder &b, Location loc, Value comm) const {
    if (openMpi)
      return LLVM::IntToPtrOp::create(
          b, loc, LLVM::LLVMPointerType::get(b.getContext()), comm);
    return LLVM::TruncOp::create(b, loc, b.getI32Type(), comm);
  }

  /// MPI_BYTE.
  Value byteType(OpBuilder &b, Location loc, ModuleOp module) const {
    if (!openMpi) {
      constexpr int32_t kMpichByte = 0x4c00010d;
      return LLVM::ConstantOp::create(b, loc, b.getI32Type(), kMpichByte);
    }
    return predefined(b, loc, module, "ompi_mpi_byte",
                      "ompi_predefined_datatype_t");
  }

  /// The address of the OpenMPI predefined object `name` of struct type
  /// `typeName`, declared once per module.
  Value predefined(OpBuilder &b, Location loc, ModuleOp module, StringRef name,
                   StringRef typeName) const {
    MLIRContext *ctx = b.getContext();
    if (!module.lookupSymbol(name)) {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(module.getBody());
      LLVM::GlobalOp::create(b, loc,
                             LLVM::LLVMStructType::getOpaque(typeName, ctx),
                             /*isConstant=*/false, LLVM::Linkage::External,
                             name, /*value=*/Attribute());
    }
    return LLVM::AddressOfOp::create(b, loc, LLVM::LLVMPointerType::get(ctx),
                                     FlatSymbolRefAttr::get(ctx, name));
  }

  /// The MPI datatype of `type`, or null when MPI has none here.
  Value dataType(OpBuilder &b, Location loc, ModuleOp module, Type type) const {
    struct Entry {
      StringRef openMpi;
      int32_t mpich;
    };
    std::optional<Entry> entry;
    if (type.isF32())
      entry = Entry{"ompi_mpi_float", 0x4c00040a};
    else if (type.isF64())
      entry = Entry{"ompi_mpi_double", 0x4c00080b};
    else if (type.isSignlessInteger(32) || type.isSignedInteger(32))
      entry = Entry{"ompi_mpi_int32_t", 0x4c000439};
    else if (type.isSignlessInteger(64) || type.isSignedInteger(64))
      entry = Entry{"ompi_mpi_int64_t", 0x4c00083a};
    if (!entry)
      return Value();
    if (openMpi)
      return predefined(b, loc, module, entry->openMpi,
                        "ompi_predefined_datatype_t");
    return LLVM::ConstantOp::create(b, loc, b.getI32Type(), entry->mpich);
  }

  /// The MPI_Op of `kind`, or null for the ones not handled here.
  Value reductionOp(OpBuilder &b, Location loc, ModuleOp module,
                    mpi::MPI_ReductionOpEnum kind) const {
    struct Entry {
      StringRef openMpi;
      int32_t mpich;
    };
    std::optional<Entry> entry;
    switch (kind) {
    case mpi::MPI_ReductionOpEnum::MPI_SUM:
      entry = Entry{"ompi_mpi_op_sum", 0x58000003};
      break;
    case mpi::MPI_ReductionOpEnum::MPI_MAX:
      entry = Entry{"ompi_mpi_op_max", 0x58000001};
      break;
    case mpi::MPI_ReductionOpEnum::MPI_MIN:
      entry = Entry{"ompi_mpi_op_min", 0x58000002};
      break;
    case mpi::MPI_ReductionOpEnum::MPI_PROD:
      entry = Entry{"ompi_mpi_op_prod", 0x58000004};
      break;
    default:
      break;
    }
    if (!entry)
      return Value();
    if (openMpi)
      return predefined(b, loc, module, entry->openMpi, "ompi_predefined_op_t");
    return LLVM::ConstantOp::create(b, loc, b.getI32Type(), entry->mpich);
  }

  Value statusIgnore(OpBuilder &b, Location loc) const {
    Value value =
        LLVM::ConstantOp::create(b, loc, b.getI64Type(), openMpi ? 0 : 1);
    return LLVM::IntToPtrOp::create(
        b, loc, LLVM::LLVMPointerType::get(b.getContext()), value);
  }

  /// A request handle as i64, and back.
  Value requestToI64(OpBuilder &b, Location loc, Value request) const {
    if (openMpi)
      return LLVM::PtrToIntOp::create(b, loc, b.getI64Type(), request);
    return LLVM::ZExtOp::create(b, loc, b.getI64Type(), request);
  }
  Value requestFromI64(OpBuilder &b, Location loc, Value request) const {
    return castComm(b, loc, request);
  }
};

LLVM::LLVMFuncOp getOrDeclare(OpBuilder &b, Location loc, ModuleOp module,
                              StringRef name, LLVM::LLVMFunctionType type) {
  if (auto fn = module.lookupSymbol<LLVM::LLVMFuncOp>(name))
    return fn;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(module.getBody());
  return LLVM::LLVMFuncOp::create(b, loc, name, type);
}

/// Value `int` slot on the stack, for the out-parameters of MPI calls.
Value allocaSlot(OpBuilder &b, Location loc, Type type) {
  Value one = LLVM::ConstantOp::create(b, loc, b.getI32Type(), 1);
  return LLVM::AllocaOp::create(
      b, loc, LLVM::LLVMPointerType::get(b.getContext()), type, one);
}

/// What every lowering starts from: the op's location, the MPI ABI of its
/// module, the module (where functions are declared) and the i32 and
/// pointer types of the calls.
static std::tuple<Location, MpiAbi, ModuleOp, Type, Type>
getCallSite(Operation *op, OpBuilder &b) {
  return {op->getLoc(), MpiAbi::get(op), op->getParentOfType<ModuleOp>(),
          b.getI32Type(), LLVM::LLVMPointerType::get(b.getContext())};
}

/// The start address and element count of a contiguous memref.
static std::pair<Value, Value> getElements(OpBuilder &b, Location loc,
                                           MemRefType type, Value descriptor,
                                           const LLVMTypeConverter &converter) {
  MemRefDescriptor desc(descriptor);
  Value start =
      LLVM::GEPOp::create(b, loc, LLVM::LLVMPointerType::get(b.getContext()),
                          converter.convertType(type.getElementType()),
                          desc.alignedPtr(b, loc), desc.offset(b, loc));
  Value count = LLVM::ConstantOp::create(b, loc, b.getI64Type(), 1);
  for (int64_t d = 0; d < type.getRank(); ++d)
    count = LLVM::MulOp::create(b, loc, count, desc.size(b, loc, d));
  return {start, count};
}

/// `count` (i64) as MPI's int count: -1, which MPI reports as an invalid
/// count, when it does not fit, rather than a truncated transfer.
static Value toMpiCount(OpBuilder &b, Location loc, Value count) {
  Type i64 = b.getI64Type();
  Value limit = LLVM::ConstantOp::create(b, loc, i64,
                                         std::numeric_limits<int32_t>::max());
  Value fits =
      LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::ule, count, limit);
  Value clamped = LLVM::SelectOp::create(
      b, loc, fits, count, LLVM::ConstantOp::create(b, loc, i64, -1));
  return LLVM::TruncOp::create(b, loc, b.getI32Type(), clamped);
}

/// mpi.comm_rank / mpi.comm_size → MPI_Comm_rank / MPI_Comm_size(comm,
/// &value). Attn lowers comm_rank too (with the higher benefit), so that a
/// module without a DLTI entry gets MPICH's ABI without the error
/// diagnostic the upstream pattern emits for the missing entry.
template <typename OpTy>
struct CommQueryLowering : ConvertOpToLLVMPattern<OpTy> {
  static constexpr bool kRank = std::is_same_v<OpTy, mpi::CommRankOp>;
  CommQueryLowering(const LLVMTypeConverter &converter)
      : ConvertOpToLLVMPattern<OpTy>(converter, /*benefit=*/2) {}
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto [loc, abi, module, i32, ptr] = getCallSite(op, rewriter);
    Value comm = abi.castComm(rewriter, loc, adaptor.getComm());
    auto fn = getOrDeclare(
        rewriter, loc, module, kRank ? "MPI_Comm_rank" : "MPI_Comm_size",
        LLVM::LLVMFunctionType::get(i32, {comm.getType(), ptr}));
    Value slot = allocaSlot(rewriter, loc, i32);
    auto call = LLVM::CallOp::create(rewriter, loc, fn, ValueRange{comm, slot});
    Value value = LLVM::LoadOp::create(rewriter, loc, i32, slot);
    SmallVector<Value> results;
    if (op.getRetval())
      results.push_back(call.getResult());
    results.push_back(value);
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// mpi.comm_world → MPI_COMM_WORLD as i64 (the address of OpenMPI's
/// ompi_mpi_comm_world, or MPICH's handle), for the same reason.
struct CommWorldLowering : ConvertOpToLLVMPattern<mpi::CommWorldOp> {
  CommWorldLowering(const LLVMTypeConverter &converter)
      : ConvertOpToLLVMPattern(converter, /*benefit=*/2) {}
  LogicalResult
  matchAndRewrite(mpi::CommWorldOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto [loc, abi, module, i32, ptr] = getCallSite(op, rewriter);
    Type i64 = rewriter.getI64Type();
    Value world;
    if (abi.openMpi) {
      world = LLVM::PtrToIntOp::create(rewriter, loc, i64,
                                       abi.predefined(rewriter, loc, module,
                                                      "ompi_mpi_comm_world",
                                                      "ompi_communicator_t"));
    } else {
      constexpr int64_t kMpichCommWorld = 0x44000000;
      world = LLVM::ConstantOp::create(rewriter, loc, i64, kMpichCommWorld);
    }
    rewriter.replaceOp(op, world);
    return success();
  }
};

/// The start address and the byte count of a contiguous memref, the count
/// as MPI's int (-1, an error MPI reports, when it does not fit).
FailureOr<std::pair<Value, Value>>
getContiguousBytes(ConversionPatternRewriter &rewriter, Location loc,
                   MemRefType type, Value descriptor,
                   const LLVMTypeConverter &converter) {
  if (!type.getLayout().isIdentity() &&
      !type.areTrailingDimsContiguous(type.getRank()))
    return failure();
  unsigned bits = type.getElementTypeBitWidth();
  if (bits % 8 != 0 || !converter.convertType(type.getElementType()))
    return failure();
  auto [start, count] = getElements(rewriter, loc, type, descriptor, converter);
  Value bytes = LLVM::MulOp::create(
      rewriter, loc, count,
      LLVM::ConstantOp::create(rewriter, loc, rewriter.getI64Type(), bits / 8));
  return std::make_pair(start, toMpiCount(rewriter, loc, bytes));
}

/// mpi.isend / mpi.irecv → MPI_Isend / MPI_Irecv(buf, bytes, MPI_BYTE, peer,
/// tag, comm, &request).
template <typename OpTy>
struct PointToPointLowering : ConvertOpToLLVMPattern<OpTy> {
  using ConvertOpToLLVMPattern<OpTy>::ConvertOpToLLVMPattern;
  using OpAdaptor = typename OpTy::Adaptor;
  static constexpr bool kSend = std::is_same_v<OpTy, mpi::ISendOp>;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto [loc, abi, module, i32, ptr] = getCallSite(op, rewriter);
    MLIRContext *ctx = rewriter.getContext();
    FailureOr<std::pair<Value, Value>> buffer =
        getContiguousBytes(rewriter, loc, op.getRef().getType(),
                           adaptor.getRef(), *this->getTypeConverter());
    if (failed(buffer))
      return rewriter.notifyMatchFailure(
          op, "the buffer is not contiguous or its elements are not bytes");
    Value dataType = abi.byteType(rewriter, loc, module);
    Value comm = abi.castComm(rewriter, loc, adaptor.getComm());
    Value peer;
    if constexpr (kSend)
      peer = adaptor.getDest();
    else
      peer = adaptor.getSource();
    auto fn = getOrDeclare(
        rewriter, loc, module, kSend ? "MPI_Isend" : "MPI_Irecv",
        LLVM::LLVMFunctionType::get(i32, {ptr, i32, dataType.getType(), i32,
                                          i32, comm.getType(), ptr}));
    Value slot = allocaSlot(rewriter, loc, abi.handleType(ctx));
    auto call =
        LLVM::CallOp::create(rewriter, loc, fn,
                             ValueRange{buffer->first, buffer->second, dataType,
                                        peer, adaptor.getTag(), comm, slot});
    Value request = abi.requestToI64(
        rewriter, loc,
        LLVM::LoadOp::create(rewriter, loc, abi.handleType(ctx), slot));
    SmallVector<Value> results;
    if (op.getRetval())
      results.push_back(call.getResult());
    results.push_back(request);
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// mpi.allreduce → MPI_Allreduce(send, recv, count, type, op, comm). It
/// replaces the upstream pattern (it has the higher benefit), which names
/// OpenMPI's predefined operations `ompi_mpi_sum`, ... where libmpi
/// exports `ompi_mpi_op_sum`, ... (the JIT and the linker find no such
/// symbol), and counts only the first dimension of the buffers.
struct AllReduceLowering : ConvertOpToLLVMPattern<mpi::AllReduceOp> {
  AllReduceLowering(const LLVMTypeConverter &converter)
      : ConvertOpToLLVMPattern(converter, /*benefit=*/2) {}
  LogicalResult
  matchAndRewrite(mpi::AllReduceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto [loc, abi, module, i32, ptr] = getCallSite(op, rewriter);
    MemRefType sendType = op.getSendbuf().getType();
    Value dataType =
        abi.dataType(rewriter, loc, module, sendType.getElementType());
    Value reduction = abi.reductionOp(rewriter, loc, module, op.getOp());
    if (!dataType || !reduction)
      return rewriter.notifyMatchFailure(
          op, "element type or reduction without an MPI equivalent here");
    if (!sendType.getLayout().isIdentity() ||
        !op.getRecvbuf().getType().getLayout().isIdentity())
      return rewriter.notifyMatchFailure(op, "buffers must be contiguous");
    const LLVMTypeConverter &converter = *getTypeConverter();
    auto [send, count] =
        getElements(rewriter, loc, sendType, adaptor.getSendbuf(), converter);
    Value recv = getElements(rewriter, loc, op.getRecvbuf().getType(),
                             adaptor.getRecvbuf(), converter)
                     .first;
    count = toMpiCount(rewriter, loc, count);
    Value comm = abi.castComm(rewriter, loc, adaptor.getComm());
    auto fn = getOrDeclare(rewriter, loc, module, "MPI_Allreduce",
                           LLVM::LLVMFunctionType::get(
                               i32, {ptr, ptr, i32, dataType.getType(),
                                     reduction.getType(), comm.getType()}));
    auto call = LLVM::CallOp::create(
        rewriter, loc, fn,
        ValueRange{send, recv, count, dataType, reduction, comm});
    if (op.getRetval())
      rewriter.replaceOp(op, call.getResult());
    else
      rewriter.eraseOp(op);
    return success();
  }
};

/// mpi.wait → MPI_Wait(&request, MPI_STATUS_IGNORE).
struct WaitLowering : ConvertOpToLLVMPattern<mpi::Wait> {
  using ConvertOpToLLVMPattern::ConvertOpToLLVMPattern;
  LogicalResult
  matchAndRewrite(mpi::Wait op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto [loc, abi, module, i32, ptr] = getCallSite(op, rewriter);
    MLIRContext *ctx = rewriter.getContext();
    Value slot = allocaSlot(rewriter, loc, abi.handleType(ctx));
    LLVM::StoreOp::create(rewriter, loc,
                          abi.requestFromI64(rewriter, loc, adaptor.getReq()),
                          slot);
    auto fn = getOrDeclare(rewriter, loc, module, "MPI_Wait",
                           LLVM::LLVMFunctionType::get(i32, {ptr, ptr}));
    auto call = LLVM::CallOp::create(
        rewriter, loc, fn, ValueRange{slot, abi.statusIgnore(rewriter, loc)});
    if (op.getRetval())
      rewriter.replaceOp(op, call.getResult());
    else
      rewriter.eraseOp(op);
    return success();
  }
};

struct AttnConvertMpiToLLVMPass
    : attn::impl::AttnConvertMpiToLLVMPassBase<AttnConvertMpiToLLVMPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    LLVMTypeConverter converter(ctx);
    RewritePatternSet patterns(ctx);
    // Communicators become i64 (upstream); requests too.
    mpi::populateMPIToLLVMConversionPatterns(converter, patterns);
    converter.addConversion([](mpi::RequestType type) {
      return IntegerType::get(type.getContext(), 64);
    });
    converter.addConversion([](mpi::RetvalType type) {
      return IntegerType::get(type.getContext(), 32);
    });
    patterns.add<AllReduceLowering>(converter);
    patterns.add<CommWorldLowering, CommQueryLowering<mpi::CommRankOp>,
                 CommQueryLowering<mpi::CommSizeOp>>(converter);
    patterns.add<PointToPointLowering<mpi::ISendOp>,
                 PointToPointLowering<mpi::IRecvOp>, WaitLowering>(converter);
    ConversionTarget target(*ctx);
    target.addIllegalDialect<mpi::MPIDialect>();
    target.addLegalDialect<LLVM::LLVMDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
